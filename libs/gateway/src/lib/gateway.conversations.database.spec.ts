import type { AgentEvent } from '@aether/core';
import { TypeOrmConversationStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-aether-db-key';

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };

const answer = (text: string): AgentEvent[] => [
  { type: 'agent_start', agent: 'orchestrator' },
  { type: 'agent_start', agent: 'architect' },
  { type: 'token', agent: 'architect', content: text },
];

/** Conversation memory over the real TypeORM store, on every database this run can reach. */
describe.each(testDatabaseKinds())('conversation memory on %s', (kind) => {
  let database: TestDatabase;
  let gateway: GatewayTestApp | undefined;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    // Persistent: the test restarts the gateway and reopens the same database.
    database = await openTestDatabase(kind, { persistent: true });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.close();
  });

  async function startGateway(): Promise<OpenAI> {
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({
      agents,
      conversations: new TypeOrmConversationStore(database.dataSource),
      config: { apiKeys: [API_KEY] },
    });
    return new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: API_KEY, maxRetries: 0 });
  }

  it('recalls a stored conversation for a follow-up, across a restart of the gateway and its database connection', async () => {
    let openai = await startGateway();
    agents.clients.orchestrator.script = scriptOf(...answer('48 h report'));
    const first = (await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'Analyze my energy usage for the last 48 hours' }],
    })) as AetherCompletion;
    const id = first.conversation_id;

    agents.clients.orchestrator.script = scriptOf(...answer('yesterday report'));
    const stream = await openai.chat.completions.create({
      model: 'aether-offline',
      stream: true,
      messages: [{ role: 'user', content: 'and yesterday?' }],
      ...({ conversation_id: id } as object),
    });
    for await (const _chunk of stream) {
      // drained: the answer is stored before the stream ends
    }
    expect(agents.clients.orchestrator.calls[1].request.history).toEqual([
      { role: 'user', content: 'Analyze my energy usage for the last 48 hours' },
      { role: 'assistant', content: '48 h report' },
    ]);

    // A restart: a new app, and a new connection to the same database.
    await gateway?.close();
    await database.reopen();
    openai = await startGateway();

    const stored = await (await fetch(`${gateway?.origin}/api/v1/conversations/${id}`, { headers: { 'X-API-Key': API_KEY } })).json();
    expect(stored).toMatchObject({ id, title: 'Analyze my energy usage for the last 48 hours', message_count: 4 });
    expect(stored.messages.map((m: { role: string; content: string; agents: string[]; status: string }) => [m.role, m.content, m.agents, m.status])).toEqual([
      ['user', 'Analyze my energy usage for the last 48 hours', [], 'complete'],
      ['assistant', '48 h report', ['orchestrator', 'architect'], 'complete'],
      ['user', 'and yesterday?', [], 'complete'],
      ['assistant', 'yesterday report', ['orchestrator', 'architect'], 'complete'],
    ]);
    expect(stored.messages[3]).toMatchObject({ model: 'aether-offline', usage: { prompt_tokens: expect.any(Number), completion_tokens: 4 } });

    agents.clients.orchestrator.script = scriptOf(...answer('week report'));
    await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'and the last week?' }],
      ...({ conversation_id: id } as object),
    });
    expect(agents.clients.orchestrator.calls[0].request.history.map((t) => t.content)).toEqual([
      'Analyze my energy usage for the last 48 hours',
      '48 h report',
      'and yesterday?',
      'yesterday report',
    ]);

    const list = await (await fetch(`${gateway?.origin}/v1/conversations?limit=1`, { headers: { 'X-API-Key': API_KEY } })).json();
    expect(list).toMatchObject({ object: 'list', has_more: false, data: [{ id, message_count: 6 }] });
    const deleted = await fetch(`${gateway?.origin}/v1/conversations/${id}`, { method: 'DELETE', headers: { 'X-API-Key': API_KEY } });
    expect(await deleted.json()).toEqual({ id, object: 'conversation.deleted', deleted: true });
    expect(await new TypeOrmConversationStore(database.dataSource).get(id, 'anyone')).toBeNull();
  }, 120_000);
});
