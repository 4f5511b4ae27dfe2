import { AGENT_NAMES, AgentError, offersNothingYet, type AgentEvent } from '@aether/core';
import { createHash } from 'node:crypto';
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { dataOf, sseBlocks } from '../testing/raw-sse-reader';
import { failWith, scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-aether-test-key';
const KEY_LABEL = `key-${createHash('sha256').update(API_KEY).digest('hex').slice(0, 8)}`;

/** Aether's non-standard request fields, which the SDK forwards untouched. */
type AetherParams = { agent?: string; conversation_id?: string };
type AetherChunk = ChatCompletionChunk & {
  aether_event?: AgentEvent;
  choices: Array<ChatCompletionChunk.Choice & { delta: { reasoning_content?: string } }>;
};

const energyRun: AgentEvent[] = [
  { type: 'agent_start', agent: 'orchestrator' },
  { type: 'routing', agent: 'orchestrator', target: 'architect', confidence: 0.9, reason: 'energy question' },
  { type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'analyse energy for 24 h' },
  { type: 'tool_start', agent: 'architect', tool: 'consult_data_science_team', args: '{}' },
  { type: 'status', agent: 'ds-orchestrator', content: 'energy analyst running…' },
  { type: 'result', agent: 'ds-analysts', data: { totalKwh: 12.5 } },
  { type: 'token', agent: 'architect', content: 'You used ' },
  { type: 'token', agent: 'architect', content: '12.5 kWh.' },
  { type: 'agent_end', agent: 'orchestrator' },
];

describe('gateway through the official openai SDK', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let openai: OpenAI;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({ agents, config: { apiKeys: [API_KEY], heartbeatMs: 60_000 } });
    openai = new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: API_KEY, maxRetries: 0 });
  });

  afterEach(() => gateway.close());

  async function collect(params: ChatCompletionCreateParamsStreaming & AetherParams, headers?: Record<string, string>) {
    const stream = await openai.chat.completions.create(params, { headers });
    const chunks: AetherChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk as AetherChunk);
    return chunks;
  }

  it('answers a non-stream request with a chat.completion from the orchestrator', async () => {
    agents.clients.orchestrator.script = scriptOf(...energyRun);
    const completion = await openai.chat.completions.create(
      {
        model: 'aether-offline',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Hi! How can I help?' },
          { role: 'user', content: [{ type: 'text', text: 'Analyze my energy usage' }] },
        ],
      },
    );

    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('aether-offline');
    expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'You used 12.5 kWh.' });
    expect(completion.choices[0].finish_reason).toBe('stop');
    const usage = completion.usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? NaN) + (usage?.completion_tokens ?? NaN));

    const [call] = agents.clients.orchestrator.calls;
    expect(call.request.message).toBe('Analyze my energy usage');
    expect(call.request.history).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
    ]);
    expect(call.request.context).toEqual({
      conversationId: (completion as unknown as { conversation_id: string }).conversation_id,
      userId: KEY_LABEL,
      model: 'aether-offline',
      // The request's overall budget (AETHER_REQUEST_DEADLINE_MS), see gateway.agent-calls.spec.ts.
      deadline: expect.any(Number),
    });
    expect(call.request.context.conversationId).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
  });

  it('streams role, reasoning, content, finish and usage chunks', async () => {
    agents.clients.orchestrator.script = scriptOf(...energyRun);

    const chunks = await collect({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'Analyze my energy usage' }],
      stream: true,
      stream_options: { include_usage: true },
    });

    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant' });
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    const reasoning = withChoices.map((c) => c.choices[0].delta.reasoning_content ?? '').join('');
    expect(reasoning).toBe(
      [
        'Orchestrator: started',
        'Orchestrator → Architect (confidence 0.90): energy question',
        'Architect → DS team: analyse energy for 24 h',
        'Architect: running consult_data_science_team…',
        'DS team: energy analyst running…',
        'Orchestrator: done',
        '',
      ].join('\n'),
    );
    expect(withChoices.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('You used 12.5 kWh.');
    expect(withChoices.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.some((c) => c.aether_event)).toBe(false);
  });

  it('delivers each token as soon as the agent produces it', async () => {
    const firstChunkSeen = Promise.withResolvers<void>();
    agents.clients.orchestrator.script = async function* () {
      yield { type: 'token', agent: 'architect', content: 'first ' };
      // Holds the rest of the answer until the client has the first token: a buffering gateway deadlocks here.
      await firstChunkSeen.promise;
      yield { type: 'token', agent: 'architect', content: 'second' };
    };

    const stream = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let content = '';
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (!piece) continue;
      content += piece;
      if (piece === 'first ') firstChunkSeen.resolve();
    }
    expect(content).toBe('first second');
  });

  it('serves the same API under the /v1 alias', async () => {
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'alias works' });
    const viaV1 = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: API_KEY, maxRetries: 0 });

    const models = await viaV1.models.list();
    const completion = await viaV1.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] });

    expect(models.data.map((m) => m.id)).toEqual(['aether-offline']);
    expect(completion.choices[0].message.content).toBe('alias works');
  });

  it('lists models, and refuses a request that names none (model is required, as in OpenAI)', async () => {
    const models = await openai.models.list();
    const model = await openai.models.retrieve('aether-offline');
    const missing = await openai.chat.completions.create({ messages: [{ role: 'user', content: 'hi' }] } as never).catch((e: unknown) => e);

    expect(models.data).toEqual([{ id: 'aether-offline', object: 'model', created: expect.any(Number), owned_by: 'aether' }]);
    expect(model.id).toBe('aether-offline');
    expect(missing).toBeInstanceOf(APIError);
    expect(missing).toMatchObject({ status: 400, param: 'model', code: 'missing_required_parameter' });
    expect(agents.clients.orchestrator.calls).toHaveLength(0);
  });

  it('calls a named agent directly, bypassing the orchestrator', async () => {
    agents.clients.architect.script = scriptOf({ type: 'token', agent: 'architect', content: 'architect here' });
    const params = { model: 'aether-offline', messages: [{ role: 'user' as const, content: 'hi' }], agent: 'architect' };

    const completion = await openai.chat.completions.create(params);

    expect(completion.choices[0].message.content).toBe('architect here');
    expect(agents.clients.architect.calls).toHaveLength(1);
    expect(agents.clients.orchestrator.calls).toHaveLength(0);
  });

  it('adds every agent event as an aether_event chunk when X-Aether-Events is 1', async () => {
    agents.clients.orchestrator.script = scriptOf(...energyRun);

    const chunks = await collect(
      { model: 'aether-offline', messages: [{ role: 'user', content: 'energy?' }], stream: true },
      { 'X-Aether-Events': '1' },
    );

    const events = chunks.filter((c) => c.aether_event);
    expect(events.map((c) => c.aether_event)).toEqual(energyRun);
    expect(events.every((c) => c.choices.length === 0 && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].delta.content ?? '').join('')).toBe(
      'You used 12.5 kWh.',
    );
  });

  it('throws in the SDK when the agent fails mid-stream, and the raw stream still ends with [DONE]', async () => {
    agents.clients.orchestrator.script = async function* () {
      yield { type: 'token', agent: 'architect', content: 'Partial ' };
      throw new AgentError('upstream_error', 'Home Assistant did not answer', 'librarian');
    };

    const received: string[] = [];
    const failure = await (async () => {
      const stream = await openai.chat.completions.create({
        model: 'aether-offline',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);

    expect(received.join('')).toBe('Partial ');
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain('Home Assistant did not answer');
    expect((failure as APIError).code).toBe('upstream_error');

    const raw = await fetch(`${gateway.origin}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const data: unknown[] = [];
    for await (const block of sseBlocks(raw)) data.push(dataOf(block));
    expect(data.at(-2)).toEqual({
      error: { message: 'Home Assistant did not answer', type: 'server_error', param: null, code: 'upstream_error' },
    });
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('answers 503 when the agent is unavailable (non-stream, and stream before anything was sent)', async () => {
    agents.clients.orchestrator.script = failWith(
      new AgentError('agent_unavailable', 'orchestrator service unreachable at http://127.0.0.1:1', 'orchestrator'),
    );

    const nonStream = await openai.chat.completions
      .create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    const stream = await openai.chat.completions
      .create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .catch((error: unknown) => error);

    for (const failure of [nonStream, stream]) {
      expect(failure).toBeInstanceOf(APIError);
      expect((failure as APIError).status).toBe(503);
      expect((failure as APIError).code).toBe('agent_unavailable');
      expect((failure as APIError).message).toContain('orchestrator service unreachable');
    }
  });

  it('sends keep-alive comments while the agent is silent', async () => {
    await gateway.close();
    gateway = await startGatewayApp({ agents, config: { apiKeys: [API_KEY], heartbeatMs: 20 } });
    const heartbeatSeen = Promise.withResolvers<void>();
    agents.clients.orchestrator.script = async function* () {
      yield { type: 'status', agent: 'ds-analysts', content: 'crunching 30 days of history' };
      await heartbeatSeen.promise;
      yield { type: 'token', agent: 'architect', content: 'done' };
    };

    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const blocks: string[] = [];
    for await (const block of sseBlocks(response)) {
      blocks.push(block);
      if (block === ': keep-alive') heartbeatSeen.resolve();
    }

    expect(blocks).toContain(': keep-alive');
    expect(blocks.indexOf(': keep-alive')).toBeLessThan(blocks.findIndex((b) => b.includes('"content":"done"')));
    expect(blocks.at(-1)).toBe('data: [DONE]');
  });

  it('aborts the agent call when the client disconnects', async () => {
    const aborted = Promise.withResolvers<unknown>();
    agents.clients.orchestrator.script = async function* (_request, signal) {
      signal.addEventListener('abort', () => aborted.resolve(signal.reason), { once: true });
      yield { type: 'token', agent: 'architect', content: 'thinking about it…' };
      // Never finishes on its own: only the client's disconnect ends this call.
      await aborted.promise;
    };

    const stream = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // leaving the loop aborts the HTTP request
    }

    await expect(aborted.promise).resolves.toBeInstanceOf(Error);
    expect(agents.clients.orchestrator.calls[0].signal.aborted).toBe(true);
  });

  it('keeps the derived conversation id across turns and honours an explicit one', async () => {
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    const ask = async (messages: OpenAI.ChatCompletionMessageParam[], extra: AetherParams = {}) => {
      const completion = await openai.chat.completions.create({ model: 'aether-offline', messages, ...extra });
      return (completion as unknown as { conversation_id: string }).conversation_id;
    };

    const firstTurn = await ask([{ role: 'user', content: 'Plan my evening lights' }]);
    const secondTurn = await ask([
      { role: 'user', content: 'Plan my evening lights' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'Make it dimmer' },
    ]);
    const otherConversation = await ask([{ role: 'user', content: 'Something else' }]);
    const explicit = await ask([{ role: 'user', content: 'Plan my evening lights' }], { conversation_id: 'conv-42' });

    expect(secondTurn).toBe(firstTurn);
    expect(otherConversation).not.toBe(firstTurn);
    expect(explicit).toBe('conv-42');
    expect(agents.clients.orchestrator.calls.map((c) => c.request.context.conversationId)).toEqual([
      firstTurn,
      firstTurn,
      otherConversation,
      'conv-42',
    ]);
  });

  it('accepts the name of every agent that offers something in the agent field', async () => {
    // The others (nothing built yet) are refused with agent_not_available: gateway.errors.spec.ts.
    for (const name of AGENT_NAMES.filter((agent) => !offersNothingYet(agent))) {
      agents.clients[name].script = scriptOf({ type: 'token', agent: name, content: name });
      const completion = await openai.chat.completions.create({
        model: 'aether-offline',
        messages: [{ role: 'user', content: 'who are you?' }],
        agent: name,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming & AetherParams);
      expect(completion.choices[0].message.content).toBe(name);
    }
  });
});
