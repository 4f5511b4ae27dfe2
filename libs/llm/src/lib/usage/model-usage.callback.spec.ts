import { loadConfig } from '@aether/config';
import { SpanKind, withLogContext, withModelUsageSink, type UsageEvent } from '@aether/core';
import { recordSpans, type RecordedSpans } from '@aether/core/testing';
import { SpanStatusCode } from '@opentelemetry/api';
import { createAgent } from 'langchain';
import { ConfiguredChatModelFactory } from '../configured-chat-model.factory';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../testing/fake-openai-server';
import { createHomeTools } from '../testing/home-tools';

const USAGE = { prompt_tokens: 1200, completion_tokens: 340, cached_tokens: 1024, reasoning_tokens: 256 };

describe('ModelUsageCallback: the provider usage of every model call', () => {
  let server: FakeOpenAiServer;
  let factory: ConfiguredChatModelFactory;

  beforeEach(async () => {
    server = await startFakeOpenAiServer((request) =>
      request.body.messages.at(-1)?.content === 'fail'
        ? { status: 400, error: { message: 'Invalid request', type: 'invalid_request_error' } }
        : request.body.messages.at(-1)?.role === 'tool' || !request.body.tools?.length
        ? { text: 'Two lights are on.', usage: USAGE }
        : { toolCalls: [{ name: 'get_entity_state', args: { entity_id: 'light.kitchen' } }], usage: { ...USAGE, prompt_tokens: 900 } },
    );
    factory = new ConfiguredChatModelFactory(
      loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_API_KEY: 'sk-local', LLM_MODEL: 'fake-default', ARCHITECT_MODEL: 'fake-reasoner' }).llm,
    );
  });
  afterEach(() => server.close());

  async function usageOf(call: () => Promise<unknown>): Promise<UsageEvent[]> {
    const events: UsageEvent[] = [];
    await withModelUsageSink((event) => events.push(event), call);
    return events;
  }

  const expected = (model: string, promptTokens = 1200): UsageEvent => ({
    type: 'usage',
    agent: 'architect',
    model,
    promptTokens,
    completionTokens: 340,
    reasoningTokens: 256,
    cachedTokens: 1024,
  });

  it('reads prompt, completion, cached and reasoning tokens of a plain call', async () => {
    const events = await usageOf(() => factory.create('architect').invoke('hello'));
    expect(events).toEqual([expected('fake-reasoner')]);
  });

  it('reads them from a streamed call, which asks for usage (stream_options.include_usage)', async () => {
    const events = await usageOf(async () => {
      for await (const _chunk of await factory.create('architect').stream('hello'));
    });
    expect(server.requests[0].body.stream_options).toEqual({ include_usage: true });
    expect(events).toEqual([expected('fake-reasoner')]);
  });

  it('reports each call of an agent loop, with no change to the loop', async () => {
    const agent = createAgent({ model: factory.create('architect'), tools: createHomeTools().all });
    const events = await usageOf(async () => {
      for await (const _chunk of await agent.stream({ messages: [{ role: 'user', content: 'Which lights are on?' }] }, { streamMode: 'messages' }));
    });
    expect(events).toEqual([expected('fake-reasoner', 900), expected('fake-reasoner')]);
  });

  describe('chat spans', () => {
    let recorded: RecordedSpans;
    beforeEach(() => (recorded = recordSpans()));
    afterEach(async () => {
      delete process.env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'];
      await recorded.stop();
    });

    it('traces each model call of an agent loop as a chat span: model, tokens, finish reason, no content', async () => {
      const agent = createAgent({ model: factory.create('architect'), tools: createHomeTools().all });
      await withLogContext({ conversationId: 'conv-9' }, async () => {
        for await (const _chunk of await agent.stream({ messages: [{ role: 'user', content: 'Which lights are on?' }] }, { streamMode: 'messages' }));
      });
      const chats = recorded.spans().filter((span) => span.name === 'chat fake-reasoner');
      expect(chats.map((span) => span.attributes)).toEqual([
        expect.objectContaining({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'fake-reasoner', 'gen_ai.agent.name': 'architect', 'gen_ai.conversation.id': 'conv-9', 'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 340, 'gen_ai.response.finish_reasons': ['tool_calls'] }),
        expect.objectContaining({ 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 340, 'gen_ai.response.finish_reasons': ['stop'] }),
      ]);
      for (const chat of chats) {
        expect(chat.kind).toBe(SpanKind.CLIENT);
        expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
        expect(chat.attributes['gen_ai.output.messages']).toBeUndefined();
      }
    });

    it('records prompt and completion only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, and a failed call as an error', async () => {
      process.env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'] = 'true';
      await factory.create('architect').invoke('hello');
      const [chat] = recorded.spans();
      expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual([{ role: 'human', content: 'hello' }]);
      expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([expect.objectContaining({ role: 'ai', content: 'Two lights are on.' })]);

      const failing = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_API_KEY: 'sk-local', LLM_MODEL: 'fake-default', LLM_MAX_RETRIES: '0' }).llm);
      await expect(failing.create('architect').invoke('fail')).rejects.toThrow();
      const failed = recorded.spans().find((span) => span.name === 'chat fake-default');
      expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  it("tells the observer each call's duration and outcome, by agent and model, streamed or not", async () => {
    const calls: Array<[string, string, string]> = [];
    const observed = new ConfiguredChatModelFactory(
      loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_API_KEY: 'sk-local', LLM_MODEL: 'fake-default', ARCHITECT_MODEL: 'fake-reasoner', LLM_MAX_RETRIES: '0' }).llm,
      {
        circuitStateChanged: () => undefined,
        retried: () => undefined,
        failedOver: () => undefined,
        contextTrimmed: () => undefined,
        callFinished: (agent, model, seconds, outcome) => {
          expect(seconds).toBeGreaterThan(0);
          calls.push([agent, model, outcome]);
        },
      },
    );
    await observed.create('architect').invoke('hello');
    for await (const _chunk of await observed.create('orchestrator').stream('hello'));
    await expect(observed.create('architect').invoke('fail')).rejects.toThrow();
    expect(calls).toEqual([
      ['architect', 'fake-reasoner', 'ok'],
      ['orchestrator', 'fake-default', 'ok'],
      ['architect', 'fake-reasoner', 'error'],
    ]);
  });

  it('reports nothing for the offline model, which has no provider counts', async () => {
    const offline = new ConfiguredChatModelFactory(loadConfig({}).llm);
    expect(await usageOf(() => offline.create('architect').invoke('hello'))).toEqual([]);
  });
});
