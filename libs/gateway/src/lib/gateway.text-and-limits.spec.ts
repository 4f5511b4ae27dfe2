import { AgentError } from '@aether/core';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { startGatewayApp, testConfig, type GatewayTestApp } from '../testing/gateway-test-app';
import { failWith, scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-text';
const LIMITS = { maxMessages: 5, maxMessageChars: 100, maxTotalChars: 250, maxUserChars: 16 };

describe('gateway edge: ids are header-safe, text is storable, requests are bounded', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let conversations: InMemoryConversationStore;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'Done.' });
    conversations = new InMemoryConversationStore();
    gateway = await startGatewayApp({ agents, conversations, config: { apiKeys: [API_KEY], requestLimits: LIMITS } });
  });
  afterEach(() => gateway.close());

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  async function post(body: object) {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: Record<string, unknown> } & Record<string, unknown> };
  }
  const question = [{ role: 'user', content: 'Which lights are on?' }];
  const nothingHappened = () => {
    expect(conversations.calls).toEqual([]);
    expect(agents.clients.orchestrator.calls).toEqual([]);
  };

  it.each([
    ['日本', /U\+65E5/],
    ['a\u0000b', /U\+0000/],
    ['x\ud800', /U\+D800/],
    ['two words', /U\+0020/],
  ])('refuses conversation_id %j with a 400 naming the field, before anything is stored or asked', async (id, character) => {
    for (const stream of [false, true]) {
      const { status, body } = await post({ model: 'aether-offline', messages: question, conversation_id: id, stream });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'conversation_id', code: 'invalid_value' });
      expect(body.error?.message).toMatch(character);
    }
    nothingHappened();
  });

  it.each([
    ['%00', 'id'],
    ['%E6%97%A5%E6%9C%AC', 'id'],
    ['a%20b', 'id'],
    // Not UTF-8 at all (an encoded lone surrogate): the router refuses to decode it, before our handler.
    ['%ED%A0%80', null],
  ])('refuses /v1/conversations/%s with a 400, without asking the store', async (id, param) => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${gateway.origin}/v1/conversations/${id}`, { method, headers });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ type: 'invalid_request_error', param });
    }
    nothingHappened();
  });

  it('refuses a NUL in the before/after cursors with a 400 naming them', async () => {
    const before = await fetch(`${gateway.origin}/v1/conversations/c-1?before=%00`, { headers });
    expect(before.status).toBe(400);
    expect((await before.json()).error).toMatchObject({ param: 'before' });
    const after = await fetch(`${gateway.origin}/v1/conversations?after=%E6%97%A5`, { headers });
    expect(after.status).toBe(400);
    expect((await after.json()).error).toMatchObject({ param: 'after' });
    nothingHappened();
  });

  it('answers a question with NUL and a lone surrogate, and passes on and stores it with NUL removed and U+FFFD', async () => {
    const { status, headers: responseHeaders, body } = await post({ model: 'aether-offline', messages: [{ role: 'user', content: 'Lights\u0000 on?\ud800' }], conversation_id: 'c-text' });
    expect(status).toBe(200);
    expect(responseHeaders.get('x-aether-conversation-id')).toBe('c-text');
    expect(agents.clients.orchestrator.calls[0].request.message).toBe('Lights on?\ufffd');
    const stored = await conversations.get('c-text', agents.clients.orchestrator.calls[0].request.context.userId);
    expect(stored?.messages.map((m) => m.content)).toEqual(['Lights on?\ufffd', 'Done.']);
    expect(body.conversation_id).toBe('c-text');
  });

  it('titles a conversation whose first message has an emoji at the title cut without splitting it', async () => {
    const content = `${'x'.repeat(78)}👍 and more`;
    expect((await post({ model: 'aether-offline', messages: [{ role: 'user', content }], conversation_id: 'c-title' })).status).toBe(200);
    const [conversation] = await conversations.list(agents.clients.orchestrator.calls[0].request.context.userId);
    expect(conversation.title).toBe(`${'x'.repeat(78)}…`);
    expect(conversation.title.isWellFormed()).toBe(true);
  });

  it.each([
    ['too many messages', { model: 'aether-offline', messages: Array.from({ length: 6 }, () => ({ role: 'user', content: 'hi' })) }, 'messages', 'array_above_max_length'],
    ['a message over its size', { model: 'aether-offline', messages: [{ role: 'user', content: 'x'.repeat(101) }] }, 'messages[0].content', 'string_above_max_length'],
    ['text parts over the size together', { model: 'aether-offline', messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(60) }, { type: 'text', text: 'y'.repeat(60) }] }] }, 'messages[0].content', 'string_above_max_length'],
    ['all messages over the total', { model: 'aether-offline', messages: Array.from({ length: 3 }, () => ({ role: 'user', content: 'x'.repeat(90) })) }, 'messages', 'messages_too_large'],
    ['a long user', { model: 'aether-offline', messages: question, user: 'u'.repeat(17) }, 'user', 'string_above_max_length'],
    ['a user with a control character', { model: 'aether-offline', messages: question, user: 'a\u0000b' }, 'user', 'invalid_value'],
    ['an empty user message', { model: 'aether-offline', messages: [{ role: 'user', content: '' }] }, 'messages[0].content', 'empty_content'],
    ['a null user message', { model: 'aether-offline', messages: [{ role: 'user', content: null }] }, 'messages[0].content', 'empty_content'],
    ['a user message of only NUL and spaces', { model: 'aether-offline', messages: [{ role: 'user', content: ' \u0000 ' }] }, 'messages[0].content', 'empty_content'],
    ['an empty earlier user message', { model: 'aether-offline', messages: [{ role: 'user', content: '  ' }, { role: 'assistant', content: 'ok' }, ...question] }, 'messages[0].content', 'empty_content'],
  ])('refuses %s with an OpenAI 400', async (_case, body, param, code) => {
    const { status, body: error } = await post(body);
    expect(status).toBe(400);
    expect(error).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param, code } });
    nothingHappened();
  });

  it('accepts a request exactly at every limit', async () => {
    const { status } = await post({
      model: 'aether-offline',
      messages: [
        { role: 'user', content: 'x'.repeat(100) },
        { role: 'assistant', content: 'y'.repeat(100) },
        { role: 'user', content: 'z'.repeat(50) },
      ],
      user: 'u'.repeat(16),
    });
    expect(status).toBe(200);
  });

  it('has generous defaults for clients that resend the whole history', () => {
    expect(testConfig().requestLimits).toEqual({ maxMessages: 10_000, maxMessageChars: 256_000, maxTotalChars: 1_000_000, maxUserChars: 256 });
  });

  it('keeps the question when the answer fails', async () => {
    agents.clients.orchestrator.script = failWith(new AgentError('timeout', 'The orchestrator agent sent nothing for 30000 ms', 'orchestrator'));
    const { status } = await post({ model: 'aether-offline', messages: [{ role: 'user', content: 'Still there?\u0000' }], conversation_id: 'c-failed' });
    expect(status).toBe(504);
    const stored = await conversations.get('c-failed', agents.clients.orchestrator.calls[0].request.context.userId);
    expect(stored?.messages.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', 'Still there?'],
      ['assistant', 'failed', expect.stringMatching(/sent nothing/)],
    ]);
  });
});
