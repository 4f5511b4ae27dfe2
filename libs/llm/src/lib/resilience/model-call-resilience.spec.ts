import { loadConfig } from '@aether/config';
import { HumanMessage, AIMessage, SystemMessage } from '@langchain/core/messages';
import { providerError, startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '../../testing';
import { ConfiguredChatModelFactory } from '../configured-chat-model.factory';
import { MetricsRegistry } from '@aether/observability';
import { ModelCallMetrics } from './model-call.metrics';
import { retryAfterMs, trimToBudget } from './resilient-fetch';

/** The agents' models as configured from the environment, against the scriptable loopback provider. */
function factory(server: FakeOpenAiServer, env: Record<string, string> = {}, metrics?: MetricsRegistry) {
  return new ConfiguredChatModelFactory(
    loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'primary-model', LLM_RETRY_BACKOFF_MS: '5', ...env }).llm,
    metrics ? new ModelCallMetrics(metrics) : undefined,
  );
}

/** Replies in order, by request number; the last one repeats. */
function script(...replies: ScriptedReply[]) {
  let n = 0;
  return (_request: RecordedRequest) => replies[Math.min(n++, replies.length - 1)];
}

describe('model calls: timeouts, retries, fail-over, context trimming', () => {
  let server: FakeOpenAiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('fails a model that never sends its first token within LLM_FIRST_TOKEN_TIMEOUT_MS, naming the model', async () => {
    server = await startFakeOpenAiServer(script({ stall: true }));
    const model = factory(server, { LLM_FIRST_TOKEN_TIMEOUT_MS: '300' }).create('architect');
    const started = performance.now();
    const call = (async () => {
      for await (const _chunk of await model.stream([new HumanMessage('Hi')])) void _chunk;
    })();
    await expect(call).rejects.toThrow(/model "primary-model" at http:\/\/127\.0\.0\.1:\d+\/v1: no first token within 300 ms \(LLM_FIRST_TOKEN_TIMEOUT_MS\)/);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    // The limit, not the SDK's 600 s nor a retry of it.
    expect(elapsed).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it('counts a stalled model as a provider failure: its breaker opens and LLM_FALLBACK_MODELS answers', async () => {
    server = await startFakeOpenAiServer((request) => (request.body.model === 'primary-model' ? { stall: true } : { text: `Answered by ${request.body.model}.` }));
    const metrics = new MetricsRegistry('test');
    const model = factory(server, { LLM_FIRST_TOKEN_TIMEOUT_MS: '200', LLM_FALLBACK_MODELS: 'backup-model', LLM_BREAKER_FAILURES: '1' }, metrics).create('architect');
    let text = '';
    for await (const chunk of await model.stream([new HumanMessage('Hi')])) text += chunk.text;
    expect(text).toBe('Answered by backup-model.');
    // The stalled model is not retried: one wait of its limit, then the fallback.
    expect(server.requests.map((r) => r.body.model)).toEqual(['primary-model', 'backup-model']);
    const provider = server.baseUrl.replace('http://', '');
    const exposed = await metrics.registry.metrics();
    expect(exposed).toContain(`aether_llm_circuit_state{provider="${provider}",model="primary-model",service="test"} 2`);
    expect(exposed).toContain(`aether_llm_circuit_opens_total{provider="${provider}",model="primary-model",service="test"} 1`);
    expect(exposed).toContain(`aether_llm_failovers_total{from="primary-model",to="backup-model",service="test"} 1`);

    // The open breaker skips the stalled model: the next call does not wait for it again.
    const started = performance.now();
    expect((await model.invoke([new HumanMessage('Again')])).text).toBe('Answered by backup-model.');
    expect(performance.now() - started).toBeLessThan(200);
    expect(server.requests.map((r) => r.body.model)).toEqual(['primary-model', 'backup-model', 'backup-model']);
  });

  it('fails over a call that does not stream when the primary misses LLM_TIMEOUT_MS', async () => {
    server = await startFakeOpenAiServer((request) =>
      request.body.model === 'primary-model' ? { after: 2_000, reply: { text: 'too late' } } : { text: `Answered by ${request.body.model}.` },
    );
    const answer = await factory(server, { LLM_TIMEOUT_MS: '300', LLM_FALLBACK_MODELS: 'backup-model' }).create('architect').invoke([new HumanMessage('Hi')]);
    expect(answer.text).toBe('Answered by backup-model.');
    expect(server.requests.map((r) => r.body.model)).toEqual(['primary-model', 'backup-model']);
  });

  it('gives a call that does not stream until the overall limit: its headers come only with the whole answer', async () => {
    server = await startFakeOpenAiServer(script({ after: 400, reply: { text: 'Two lights are on.' } }));
    const model = factory(server, { LLM_CONNECT_TIMEOUT_MS: '100', LLM_FIRST_TOKEN_TIMEOUT_MS: '100' }).create('architect');
    const answer = await model.invoke([new HumanMessage('What lights are on?')]);
    expect(answer.text).toBe('Two lights are on.');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body.stream).toBeFalsy();
  });

  it('fails a streamed call whose server sends no headers within LLM_CONNECT_TIMEOUT_MS, naming the model', async () => {
    server = await startFakeOpenAiServer(script({ after: 2_000, reply: { text: 'late' } }));
    const model = factory(server, { LLM_CONNECT_TIMEOUT_MS: '200', LLM_MAX_RETRIES: '0' }).create('architect');
    const call = (async () => {
      for await (const _chunk of await model.stream([new HumanMessage('Hi')])) void _chunk;
    })();
    await expect(call).rejects.toThrow(/model "primary-model" at http:\/\/127\.0\.0\.1:\d+\/v1: no response within 200 ms \(LLM_CONNECT_TIMEOUT_MS\)/);
  });

  it('retries a 429 without Retry-After after a back-off and answers', async () => {
    server = await startFakeOpenAiServer(script(providerError(429, 'Rate limit reached', { type: 'rate_limit_error' }), { text: 'Two lights are on.' }));
    const answer = await factory(server).create('architect').invoke([new HumanMessage('What lights are on?')]);
    expect(answer.text).toBe('Two lights are on.');
    expect(server.requests).toHaveLength(2);
  });

  it("honours a 429's Retry-After", async () => {
    server = await startFakeOpenAiServer(script(providerError(429, 'Slow down', { headers: { 'retry-after': '1' } }), { text: 'Done.' }));
    const started = performance.now();
    const answer = await factory(server).create('architect').invoke([new HumanMessage('Hi')]);
    expect(answer.text).toBe('Done.');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails over to LLM_FALLBACK_MODELS after 500 ×3 (the first try and LLM_MAX_RETRIES=2) and answers', async () => {
    server = await startFakeOpenAiServer((request) =>
      request.body.model === 'primary-model' ? providerError(500, 'The server had an error') : { text: `Answered by ${request.body.model}.` },
    );
    const metrics = new MetricsRegistry('test');
    const answer = await factory(server, { LLM_FALLBACK_MODELS: 'backup-model', LLM_BREAKER_FAILURES: '1' }, metrics).create('architect').invoke([new HumanMessage('Hi')]);
    expect(answer.text).toBe('Answered by backup-model.');
    expect(server.requests.map((r) => r.body.model)).toEqual(['primary-model', 'primary-model', 'primary-model', 'backup-model']);
    const text = await metrics.registry.metrics();
    const provider = server.baseUrl.replace('http://', '');
    expect(text).toContain(`aether_llm_circuit_state{provider="${provider}",model="primary-model",service="test"} 2`);
    expect(text).toContain(`aether_llm_circuit_opens_total{provider="${provider}",model="primary-model",service="test"} 1`);
    expect(text).toContain(`aether_llm_call_retries_total{provider="${provider}",reason="server_error",service="test"} 2`);
    expect(text).toContain(`aether_llm_failovers_total{from="primary-model",to="backup-model",service="test"} 1`);
  });

  it('fails over for streamed calls too, and a model@baseUrl fallback gets no API key of another provider', async () => {
    const backup = await startFakeOpenAiServer(() => ({ text: 'From the other provider.' }));
    try {
      server = await startFakeOpenAiServer(() => providerError(503, 'Overloaded'));
      const model = factory(server, { LLM_API_KEY: 'sk-primary', LLM_FALLBACK_MODELS: `other-model@${backup.baseUrl}` }).create('architect');
      let text = '';
      for await (const chunk of await model.stream([new HumanMessage('Hi')])) text += chunk.text;
      expect(text).toBe('From the other provider.');
      expect(server.requests).toHaveLength(3);
      expect(server.requests[0].headers.authorization).toBe('Bearer sk-primary');
      expect(backup.requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([['other-model', undefined]]);
    } finally {
      await backup.close();
    }
  });

  it('opens the breaker of a provider that keeps failing: later calls go straight to the fallback', async () => {
    server = await startFakeOpenAiServer((request) => (request.body.model === 'primary-model' ? providerError(502, 'Bad gateway') : { text: 'ok' }));
    const model = factory(server, { LLM_FALLBACK_MODELS: 'backup-model@http://127.0.0.1:1/v1', LLM_BREAKER_FAILURES: '1', LLM_MAX_RETRIES: '0' }).create('architect');
    // The fallback is on another (closed) port, so each call fails; the broken primary is asked only once.
    await expect(model.invoke([new HumanMessage('a')])).rejects.toThrow(/502/);
    await expect(model.invoke([new HumanMessage('b')])).rejects.toThrow(/circuit open after 1 consecutive failures/);
    expect(server.requests).toHaveLength(1);
  });

  it('trims the history to LLM_CONTEXT_TOKENS after context_length_exceeded and answers', async () => {
    server = await startFakeOpenAiServer((request) =>
      JSON.stringify(request.body.messages).length > 4_000
        ? providerError(400, "This model's maximum context length is 1024 tokens.", { type: 'invalid_request_error', code: 'context_length_exceeded' })
        : { text: 'Short enough now.' },
    );
    const history = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? new HumanMessage(`question ${i} ${'x'.repeat(400)}`) : new AIMessage(`answer ${i} ${'y'.repeat(400)}`)));
    const answer = await factory(server, { LLM_CONTEXT_TOKENS: '600' })
      .create('architect')
      .invoke([new SystemMessage('You are Aether.'), ...history, new HumanMessage('And now?')]);
    expect(answer.text).toBe('Short enough now.');
    expect(server.requests).toHaveLength(2);
    const sent = server.requests[1].body.messages;
    expect(sent[0]).toMatchObject({ role: 'system', content: 'You are Aether.' });
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: 'And now?' });
    expect(sent.length).toBeLessThan(22);
  });

  it('does not retry a 400 that is not about the context', async () => {
    server = await startFakeOpenAiServer(() => providerError(400, 'Invalid value for tool_choice', { type: 'invalid_request_error' }));
    await expect(factory(server).create('architect').invoke([new HumanMessage('Hi')])).rejects.toThrow(/tool_choice/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  it.each([
    [{ 'retry-after': '2' }, 2_000],
    [{ 'retry-after-ms': '150' }, 150],
    [{ 'retry-after': 'Thu, 01 Jan 1970 00:00:05 GMT' }, 5_000],
    [{}, undefined],
    [{ 'retry-after': 'soon' }, undefined],
  ])('reads %j', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers as Record<string, string>), 0)).toBe(expected);
  });
});

describe('trimToBudget', () => {
  it('keeps the system prompt and the current turn, and never leaves a tool result without its call', () => {
    const messages = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u1'.repeat(100) },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] },
      { role: 'tool', tool_call_id: 'c1', content: 'r'.repeat(100) },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'now' },
    ];
    const trimmed = trimToBudget(messages, 40);
    expect(trimmed).toEqual([messages[0], messages[4], messages[5]]);
    expect(trimToBudget([messages[0], messages[5]], 1)).toBeUndefined();
  });
});
