import { AgentError, type AgentEvent } from '@aether/core';
import type { LoggerService } from '@nestjs/common';
import { createHash } from 'node:crypto';
import OpenAI, { APIError } from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { dataOf, sseBlocks } from '../testing/raw-sse-reader';
import { failWith, scriptOf, type AgentScript } from '../testing/scripted-agent-client';
import { HISTORY_TURNS } from './conversations/conversation-memory.service';

const API_KEY = 'sk-aether-memory-key';
const OTHER_KEY = 'sk-aether-other-key';
const userOf = (key: string) => `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
const USER = userOf(API_KEY);

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };

/** An answer in the shape of a real run: three agents start (one twice), then the architect speaks. */
function answering(text: string): AgentScript {
  const events: AgentEvent[] = [
    { type: 'agent_start', agent: 'orchestrator' },
    { type: 'routing', agent: 'orchestrator', target: 'architect', confidence: 0.9, reason: 'energy' },
    { type: 'agent_start', agent: 'architect' },
    { type: 'agent_start', agent: 'ds-analysts' },
    { type: 'agent_start', agent: 'ds-analysts' },
    { type: 'token', agent: 'architect', content: text.slice(0, 3) },
    { type: 'token', agent: 'architect', content: text.slice(3) },
    { type: 'agent_end', agent: 'orchestrator' },
  ];
  return scriptOf(...events);
}

describe('conversation memory through the gateway', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let store: InMemoryConversationStore;
  let openai: OpenAI;
  let errors: string[];

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    store = new InMemoryConversationStore();
    errors = [];
    const logger: LoggerService = { log: () => undefined, warn: () => undefined, error: (m: unknown) => void errors.push(String(m)) };
    gateway = await startGatewayApp({
      agents,
      conversations: store,
      logger,
      config: { apiKeys: [API_KEY, OTHER_KEY], heartbeatMs: 60_000 },
    });
    openai = new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: API_KEY, maxRetries: 0 });
  });

  afterEach(() => gateway.close());

  const orchestrator = () => agents.clients.orchestrator;

  async function ask(content: string, extra: Record<string, unknown> = {}): Promise<AetherCompletion> {
    return (await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content }],
      ...extra,
    })) as AetherCompletion;
  }

  function api(path: string, init: RequestInit = {}, key = API_KEY): Promise<Response> {
    return fetch(`${gateway.origin}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, ...init.headers } });
  }

  describe('storing turns', () => {
    it('stores the question and the answer with its agents (in start order), model and usage', async () => {
      orchestrator().script = answering('You used 12.5 kWh.');
      const completion = await ask('Analyze my energy usage for the last 48 hours');

      const stored = await store.get(completion.conversation_id, USER);
      expect(stored).toMatchObject({ title: 'Analyze my energy usage for the last 48 hours', messageCount: 2 });
      expect(stored?.messages.map(({ role, content, agents, model, status }) => ({ role, content, agents, model, status }))).toEqual([
        { role: 'user', content: 'Analyze my energy usage for the last 48 hours', agents: [], model: null, status: 'complete' },
        { role: 'assistant', content: 'You used 12.5 kWh.', agents: ['orchestrator', 'architect', 'ds-analysts'], model: 'aether-offline', status: 'complete' },
      ]);
      expect(stored?.messages[1]).toMatchObject({
        promptTokens: completion.usage?.prompt_tokens,
        completionTokens: completion.usage?.completion_tokens,
      });
    });

    it('stores a streamed answer before the stream ends', async () => {
      orchestrator().script = answering('Streamed answer.');
      const response = await api('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: 'stream it' }] }),
      });
      const conversationId = response.headers.get('x-aether-conversation-id') ?? '';
      let storedAtDone: unknown;
      for await (const block of sseBlocks(response)) {
        // Checked when [DONE] arrives: a client may send its follow-up right then.
        if (dataOf(block) === '[DONE]') storedAtDone = (await store.get(conversationId, USER))?.messages.map((m) => [m.role, m.content, m.agents]);
      }
      expect(storedAtDone).toEqual([
        ['user', 'stream it', []],
        ['assistant', 'Streamed answer.', ['orchestrator', 'architect', 'ds-analysts']],
      ]);
    });

    it("writes a new conversation's question beside the agents' work, and the answer after it", async () => {
      let releaseQuestion!: () => void;
      const questionHeld = new Promise<void>((resolve) => (releaseQuestion = resolve));
      const append = store.append.bind(store);
      store.append = async (message) => {
        if (message.role === 'user') await questionHeld;
        return append(message);
      };
      let calledWhileQuestionHeld = false;
      orchestrator().script = async function* (request, signal) {
        calledWhileQuestionHeld = store.calls.filter((call) => call.method === 'append').length === 0;
        releaseQuestion();
        yield* answering('Two lights are on.')(request, signal);
      };
      const completion = await ask('What lights are on?');

      expect(calledWhileQuestionHeld).toBe(true);
      const stored = await store.get(completion.conversation_id, USER);
      expect(stored?.messages.map((m) => [m.role, m.content])).toEqual([
        ['user', 'What lights are on?'],
        ['assistant', 'Two lights are on.'],
      ]);
    });

    it('writes the question of a conversation the client named before any agent runs (it may be someone else\'s)', async () => {
      const append = store.append.bind(store);
      store.append = async (message) => {
        // The write takes a turn of the event loop; an agent called meanwhile would see no question.
        if (message.role === 'user') await new Promise((resolve) => setImmediate(resolve));
        return append(message);
      };
      let questionStoredFirst = false;
      orchestrator().script = async function* (request, signal) {
        questionStoredFirst = (await store.get('conv-named', USER))?.messages.length === 1;
        yield* answering('Two lights are on.')(request, signal);
      };
      await ask('What lights are on?', { conversation_id: 'conv-named' });
      expect(questionStoredFirst).toBe(true);
    });

    it('keeps the question and records a failed answer with the error the client got (non-stream)', async () => {
      orchestrator().script = failWith(new AgentError('agent_unavailable', 'The architect is not reachable.', 'architect'));
      const error = await ask('Analyze my energy usage', { conversation_id: 'conv-failing' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(503);

      const stored = await store.get('conv-failing', USER);
      expect(stored?.messages.map(({ role, content, status }) => ({ role, content, status }))).toEqual([
        { role: 'user', content: 'Analyze my energy usage', status: 'complete' },
        { role: 'assistant', content: 'The architect is not reachable.', status: 'failed' },
      ]);
    });

    it('records a stream that failed after it started as failed, keeping the agents that ran', async () => {
      orchestrator().script = async function* () {
        yield { type: 'agent_start', agent: 'orchestrator' };
        yield { type: 'token', agent: 'orchestrator', content: 'partial' };
        throw new AgentError('upstream_error', 'The model provider failed.', 'architect');
      };
      const stream = await openai.chat.completions.create({
        model: 'aether-offline',
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
        ...({ conversation_id: 'conv-stream-fail' } as object),
      });
      await expect((async () => { for await (const _chunk of stream) { /* drain */ } })()).rejects.toThrow(/model provider failed/);

      const [, answer] = (await store.get('conv-stream-fail', USER))?.messages ?? [];
      expect(answer).toMatchObject({ role: 'assistant', status: 'failed', content: 'The model provider failed.', agents: ['orchestrator'] });
    });

    it('still answers when the store cannot write, and logs the lost turn loudly', async () => {
      orchestrator().script = answering('Answer despite the database.');
      store.failWith(new Error('connection refused'));

      const completion = await ask('hello');
      expect(completion.choices[0].message.content).toBe('Answer despite the database.');
      const lost = errors.filter((e) => e.includes('LOST') && e.includes(completion.conversation_id));
      expect(lost).toEqual([
        expect.stringContaining('the user message'),
        expect.stringContaining('the assistant message'),
      ]);
      expect(lost[0]).toMatch(/connection refused/);
    });
  });

  describe('history the agents get', () => {
    it('recalls the stored turns when the client names the conversation and sends only the new message', async () => {
      orchestrator().script = answering('48 h report.');
      const first = await ask('Analyze my energy usage for the last 48 hours');
      orchestrator().script = answering('Yesterday report.');

      const followUp = await openai.chat.completions.create({
        model: 'aether-offline',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'and yesterday?' },
        ],
        ...({ conversation_id: first.conversation_id } as object),
      });

      expect((followUp as AetherCompletion).conversation_id).toBe(first.conversation_id);
      const call = orchestrator().calls[1];
      expect(call.request.message).toBe('and yesterday?');
      expect(call.request.context.conversationId).toBe(first.conversation_id);
      expect(call.request.history).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Analyze my energy usage for the last 48 hours' },
        { role: 'assistant', content: '48 h report.' },
      ]);
      // The recalled turns count towards the prompt the agents were given.
      const alone = await ask('and yesterday?');
      expect(followUp.usage!.prompt_tokens).toBeGreaterThan(alone.usage!.prompt_tokens);
      expect((await store.get(first.conversation_id, USER))?.messageCount).toBe(4);
    });

    it('asks the store for at most the last 20 turns', async () => {
      orchestrator().script = answering('ok');
      await ask('next', { conversation_id: 'conv-long' });
      expect(store.calls.find((c) => c.method === 'history')?.args).toEqual(['conv-long', USER, HISTORY_TURNS]);
      expect(HISTORY_TURNS).toBe(20);
    });

    it('does not recall failed answers', async () => {
      orchestrator().script = failWith(new AgentError('upstream_error', 'model down', 'architect'));
      await ask('first try', { conversation_id: 'conv-retry' }).catch(() => undefined);
      orchestrator().script = answering('ok');
      await ask('second try', { conversation_id: 'conv-retry' });
      expect(orchestrator().calls[1].request.history).toEqual([{ role: 'user', content: 'first try' }]);
    });

    it('uses the turns the client sent as they are, without reading the store', async () => {
      orchestrator().script = answering('ok');
      const first = await ask('Analyze my energy usage');
      store.calls.length = 0;

      await openai.chat.completions.create({
        model: 'aether-offline',
        messages: [
          { role: 'user', content: 'Analyze my energy usage' },
          { role: 'assistant', content: 'an edited answer' },
          { role: 'user', content: 'and yesterday?' },
        ],
        ...({ conversation_id: first.conversation_id } as object),
      });
      expect(orchestrator().calls[1].request.history).toEqual([
        { role: 'user', content: 'Analyze my energy usage' },
        { role: 'assistant', content: 'an edited answer' },
      ]);
      expect(store.calls.map((c) => c.method)).toEqual(['append', 'append']);
    });

    it('recalls nothing for a lone message without conversation_id: that message opens a conversation', async () => {
      orchestrator().script = answering('ok');
      await ask('hi');
      await ask('hi');
      expect(orchestrator().calls[1].request.history).toEqual([]);
      expect(store.calls.some((c) => c.method === 'history')).toBe(false);
    });

    it('fails a follow-up with a 503 OpenAI error when its history cannot be read, and runs no agent', async () => {
      orchestrator().script = answering('ok');
      store.failWith(new Error('database is down'));
      const error = (await ask('and yesterday?', { conversation_id: 'conv-x' }).catch((e: unknown) => e)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(503);
      expect(error.error).toMatchObject({ type: 'server_error', code: 'conversation_store_unavailable' });
      expect(error.message).toMatch(/Conversation memory is unavailable/);
      expect(orchestrator().calls).toHaveLength(0);
    });

    it("refuses to continue another caller's conversation with a 404, running no agent", async () => {
      orchestrator().script = answering('mine');
      const mine = await ask('private question', { conversation_id: 'conv-shared-name' });
      const other = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: OTHER_KEY, maxRetries: 0 });

      const error = (await other.chat.completions
        .create({ model: 'aether-offline', messages: [{ role: 'user', content: 'and yesterday?' }], ...({ conversation_id: mine.conversation_id } as object) })
        .catch((e: unknown) => e)) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(404);
      expect(error.error).toMatchObject({ code: 'conversation_not_found', param: 'conversation_id' });
      expect(orchestrator().calls).toHaveLength(1);
      expect((await store.get('conv-shared-name', USER))?.messageCount).toBe(2);
    });

    it('reaches a directly named agent with the recalled history as well', async () => {
      agents.clients.architect.script = answering('first');
      await ask('Analyze my energy usage', { agent: 'architect', conversation_id: 'conv-direct' });
      await ask('and yesterday?', { agent: 'architect', conversation_id: 'conv-direct' });
      expect(agents.clients.architect.calls[1].request.history).toEqual([
        { role: 'user', content: 'Analyze my energy usage' },
        { role: 'assistant', content: 'first' },
      ]);
    });
  });

  describe('conversation endpoints', () => {
    async function seed(count: number): Promise<string[]> {
      orchestrator().script = answering('ok');
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push((await ask(`question ${i}`)).conversation_id);
      return ids.reverse(); // most recently updated first
    }

    it('lists the caller\'s conversations, most recent first, as an OpenAI-style list', async () => {
      const ids = await seed(3);
      const response = await api('/api/v1/conversations');
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ object: 'list', has_more: false, first_id: ids[0], last_id: ids[2] });
      expect(body.data.map((c: { id: string }) => c.id)).toEqual(ids);
      const [newest] = body.data;
      expect(newest).toEqual({
        id: ids[0],
        object: 'conversation',
        title: 'question 2',
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
        message_count: 2,
      });
      expect(Math.abs(newest.updated_at - Date.now() / 1000)).toBeLessThan(60);
    });

    it('pages with limit + offset or limit + after, and says when there is more', async () => {
      const ids = await seed(5);
      const page = async (query: string) => (await api(`/v1/conversations?${query}`)).json();

      const first = await page('limit=2');
      expect(first.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
      expect(first.has_more).toBe(true);
      const second = await page(`limit=2&after=${first.last_id}`);
      expect(second.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(2, 4));
      const last = await page('limit=2&offset=4');
      expect(last.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(4));
      expect(last.has_more).toBe(false);
      expect((await page('limit=5')).has_more).toBe(false);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['offset=-1', 'offset'],
      ['after=', 'after'],
      ['after=nope', 'after'],
      ['offset=1&after=abc', 'after'],
    ])('refuses %s with a 400 naming %s', async (query, param) => {
      const response = await api(`/api/v1/conversations?${query}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ type: 'invalid_request_error', param });
    });

    it('returns one conversation with its messages', async () => {
      orchestrator().script = answering('You used 12.5 kWh.');
      const { conversation_id: id, usage } = await ask('Analyze my energy usage');

      const response = await api(`/api/v1/conversations/${id}`);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ id, object: 'conversation', title: 'Analyze my energy usage', message_count: 2 });
      expect(body.messages).toEqual([
        {
          id: expect.any(String),
          role: 'user',
          content: 'Analyze my energy usage',
          agents: [],
          model: null,
          usage: { prompt_tokens: null, completion_tokens: null },
          status: 'complete',
          created_at: expect.any(Number),
        },
        {
          id: expect.any(String),
          role: 'assistant',
          content: 'You used 12.5 kWh.',
          agents: ['orchestrator', 'architect', 'ds-analysts'],
          model: 'aether-offline',
          usage: { prompt_tokens: usage?.prompt_tokens, completion_tokens: usage?.completion_tokens },
          status: 'complete',
          created_at: expect.any(Number),
        },
      ]);
    });

    it('deletes a conversation; afterwards it is gone', async () => {
      const [id] = await seed(1);
      const deleted = await api(`/v1/conversations/${id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      expect(await deleted.json()).toEqual({ id, object: 'conversation.deleted', deleted: true });

      const again = await api(`/v1/conversations/${id}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect((await again.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'conversation_not_found' });
      expect((await api(`/api/v1/conversations/${id}`)).status).toBe(404);
    });

    it("hides another caller's conversations: not listed, 404 to read or delete", async () => {
      const [id] = await seed(1);
      expect((await (await api('/api/v1/conversations', {}, OTHER_KEY)).json()).data).toEqual([]);
      const read = await api(`/api/v1/conversations/${id}`, {}, OTHER_KEY);
      expect(read.status).toBe(404);
      expect((await read.json()).error.message).toContain(id);
      expect((await api(`/api/v1/conversations/${id}`, { method: 'DELETE' }, OTHER_KEY)).status).toBe(404);
      expect((await api(`/api/v1/conversations/${id}`)).status).toBe(200);
    });

    it('requires an API key', async () => {
      const response = await fetch(`${gateway.origin}/api/v1/conversations`);
      expect(response.status).toBe(401);
      expect((await response.json()).error.type).toBe('authentication_error');
    });

    it('answers 503 with an OpenAI error when the store is down', async () => {
      store.failWith(new Error('database is down'));
      for (const [path, method] of [['/api/v1/conversations', 'GET'], ['/api/v1/conversations/c1', 'GET'], ['/api/v1/conversations/c1', 'DELETE']]) {
        const response = await api(path, { method });
        expect(response.status).toBe(503);
        expect((await response.json()).error).toMatchObject({ type: 'server_error', code: 'conversation_store_unavailable' });
      }
      expect(errors.some((e) => e.includes('database is down'))).toBe(true);
    });
  });
});
