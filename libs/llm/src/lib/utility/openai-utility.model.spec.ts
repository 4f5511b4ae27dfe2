import { withLogContext, withModelUsageSink, type UsageEvent } from '@aether/core';
import { recordSpans } from '@aether/core/testing';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../testing/fake-openai-server';
import { OpenAiUtilityModel } from './openai-utility.model';

describe('OpenAiUtilityModel', () => {
  let server: FakeOpenAiServer;

  beforeEach(async () => {
    server = await startFakeOpenAiServer(() => ({ text: '{"title":"⚡ Energy Use Review"}' }));
  });

  afterEach(() => server.close());

  it('makes one call with the client sampling parameters, limits and output format', async () => {
    const model = new OpenAiUtilityModel({ provider: 'openai-compatible', baseUrl: server.baseUrl, defaultModel: 'gpt-4o-mini', agentModels: {} });
    const answer = await model.complete({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: '### Task: title' }],
      temperature: 0.2,
      topP: 0.9,
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: 0.25,
      user: 'open-webui',
      maxTokens: 20,
      stop: ['\n\n'],
      responseFormat: { type: 'json_object' },
    });

    expect(answer).toEqual({ text: '{"title":"⚡ Energy Use Review"}', finishReason: 'stop', usage: { model: expect.any(String), promptTokens: 11, completionTokens: expect.any(Number), reasoningTokens: 0, cachedTokens: 0 } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: '### Task: title' }],
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.25,
      user: 'open-webui',
      max_tokens: 20,
      stop: ['\n\n'],
      response_format: { type: 'json_object' },
    });
    expect(server.requests[0].headers.authorization).toBe('Bearer no-api-key');
  });

  it("counts a call made in an agent's step as that agent's model call: its usage event, its duration, its chat span", async () => {
    const durations: Array<[string, string, string]> = [];
    const observer = { circuitStateChanged: () => undefined, retried: () => undefined, failedOver: () => undefined, contextTrimmed: () => undefined, callFinished: (agent: string, model: string, _s: number, outcome: string) => void durations.push([agent, model, outcome]) };
    const model = new OpenAiUtilityModel({ provider: 'openai-compatible', baseUrl: server.baseUrl, defaultModel: 'analyst-model', agentModels: {} }, observer);
    const usage: UsageEvent[] = [];
    const recorded = recordSpans();
    try {
      await withLogContext({ agent: 'ds-analysts', conversationId: 'conv-3' }, () =>
        withModelUsageSink((event) => usage.push(event), () => model.complete({ model: 'analyst-model', messages: [{ role: 'user', content: 'write the script' }] })),
      );
      // Outside any agent (a gateway utility request): no usage event, counted as the gateway's.
      await model.complete({ model: 'analyst-model', messages: [{ role: 'user', content: '### Task: title' }] });
      expect(recorded.spans().map((span) => [span.name, span.attributes['gen_ai.agent.name'], span.attributes['gen_ai.usage.input_tokens']])).toEqual([
        ['chat analyst-model', 'ds-analysts', 11],
        ['chat analyst-model', undefined, 11],
      ]);
    } finally {
      await recorded.stop();
    }
    expect(usage).toEqual([{ type: 'usage', agent: 'ds-analysts', model: expect.any(String), promptTokens: 11, completionTokens: expect.any(Number), reasoningTokens: 0, cachedTokens: 0 }]);
    expect(durations).toEqual([
      ['ds-analysts', 'analyst-model', 'ok'],
      ['gateway', 'analyst-model', 'ok'],
    ]);
  });
});
