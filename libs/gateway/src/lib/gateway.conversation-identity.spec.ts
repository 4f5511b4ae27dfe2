import type { AgentRequest } from '@aether/core';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';

type Message = OpenAI.ChatCompletionMessageParam;
type AetherCompletion = OpenAI.ChatCompletion & { conversation_id: string };

const OPENING = 'What lights are on?';

/** How clients really call: no conversation_id, the whole chat resent each turn (Open WebUI), or a forwarded chat id. */
describe('conversation identity: chats never merge', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let conversations: InMemoryConversationStore;
  let openai: OpenAI;
  let answers: number;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    answers = 0;
    // Each answer differs, as a language model's do.
    agents.clients.orchestrator.script = async function* (request: AgentRequest) {
      yield { type: 'token', agent: 'orchestrator', content: `Answer ${++answers} to "${request.message}".` };
    };
    conversations = new InMemoryConversationStore();
    gateway = await startGatewayApp({ agents, conversations });
    openai = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: 'unused-in-open-mode', maxRetries: 0 });
  });

  afterEach(() => gateway.close());

  async function send(messages: Message[], options: { headers?: Record<string, string>; extra?: object } = {}) {
    const completion = (await openai.chat.completions.create(
      { model: 'aether-offline', messages, ...options.extra },
      { headers: options.headers },
    )) as AetherCompletion;
    const call = agents.clients.orchestrator.calls.at(-1)?.request;
    return { id: completion.conversation_id, answer: completion.choices[0].message.content ?? '', history: call?.history ?? [] };
  }

  async function storedContents(id: string): Promise<string[]> {
    return ((await conversations.get(id, 'anonymous'))?.messages ?? []).map((m) => m.content);
  }

  it('gives two chats opening with the same message different ids; neither sees the other’s turns', async () => {
    const a1 = await send([{ role: 'user', content: OPENING }]);
    const b1 = await send([{ role: 'user', content: OPENING }]);
    expect(b1.id).not.toBe(a1.id);
    expect(b1.history).toEqual([]);

    // Each continues by resending its own chat: the agents get exactly that chat, stored apart.
    const a2 = await send([{ role: 'user', content: OPENING }, { role: 'assistant', content: a1.answer }, { role: 'user', content: 'And the kitchen?' }]);
    const b2 = await send([{ role: 'user', content: OPENING }, { role: 'assistant', content: b1.answer }, { role: 'user', content: 'And the garage?' }]);
    expect(a2.id).toBe(a1.id);
    expect(b2.id).toBe(b1.id);
    expect(a2.history).toEqual([{ role: 'user', content: OPENING }, { role: 'assistant', content: a1.answer }]);
    expect(b2.history).toEqual([{ role: 'user', content: OPENING }, { role: 'assistant', content: b1.answer }]);
    expect(await storedContents(a1.id)).toEqual([OPENING, a1.answer, 'And the kitchen?', a2.answer]);
    expect(await storedContents(b1.id)).toEqual([OPENING, b1.answer, 'And the garage?', b2.answer]);
  });

  it('continues a full-history client’s conversation turn after turn', async () => {
    const chat: Message[] = [{ role: 'user', content: OPENING }];
    const first = await send(chat);
    chat.push({ role: 'assistant', content: first.answer }, { role: 'user', content: 'And the kitchen?' });
    const second = await send(chat);
    chat.push({ role: 'assistant', content: second.answer }, { role: 'user', content: 'Turn them off' });
    const third = await send(chat);
    expect([second.id, third.id]).toEqual([first.id, first.id]);
    expect(await storedContents(first.id)).toHaveLength(6);
    expect((await conversations.list('anonymous')).map((c) => c.id)).toEqual([first.id]);
  });

  it('maps a resent history it does not know (another first answer) to a new conversation, which its next turn continues', async () => {
    await send([{ role: 'user', content: OPENING }]);
    const unknown: Message[] = [{ role: 'user', content: OPENING }, { role: 'assistant', content: 'Edited answer.' }, { role: 'user', content: 'ok?' }];
    const first = await send(unknown);
    const next = await send([...unknown, { role: 'assistant', content: first.answer }, { role: 'user', content: 'thanks' }]);
    expect(next.id).toBe(first.id);
    expect(await conversations.list('anonymous')).toHaveLength(2);
  });

  it.each([
    ['X-OpenWebUI-Chat-Id', { headers: { 'X-OpenWebUI-Chat-Id': 'owui-chat-7f3a' } }],
    ['X-Aether-Conversation-Id', { headers: { 'X-Aether-Conversation-Id': 'owui-chat-7f3a' } }],
    ['metadata.conversation_id', { extra: { metadata: { conversation_id: 'owui-chat-7f3a' } } }],
  ])('uses the conversation id forwarded in %s, and recalls its turns for a lone follow-up', async (_where, options) => {
    const first = await send([{ role: 'user', content: OPENING }], options);
    expect(first.id).toBe('owui-chat-7f3a');
    const followUp = await send([{ role: 'user', content: 'And the kitchen?' }], options);
    expect(followUp.id).toBe('owui-chat-7f3a');
    expect(followUp.history).toEqual([{ role: 'user', content: OPENING }, { role: 'assistant', content: first.answer }]);
    expect(await storedContents('owui-chat-7f3a')).toHaveLength(4);
  });

  it('refuses a conversation id header that is not a safe id, naming it', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openwebui-chat-id': 'a b' },
      body: JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: OPENING }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('x-openwebui-chat-id');
  });
});
