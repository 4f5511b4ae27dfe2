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
});
