import { TypeOrmConversationStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-text-db';

/** The text and id rules against what the real database accepts (PostgreSQL's text and jsonb refuse NUL and lone surrogates). */
describe.each(testDatabaseKinds())('text is text, stored on %s', (kind) => {
  let database: TestDatabase;
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({ agents, conversations: new TypeOrmConversationStore(database.dataSource), config: { apiKeys: [API_KEY] } });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.close();
  });

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const post = (body: object) => fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  const rows = async (id: string) => ({
    conversations: await database.dataSource.query('SELECT title FROM conversations WHERE id = $1', [id]),
    messages: await database.dataSource.query('SELECT role, content FROM conversation_messages WHERE conversation_id = $1 ORDER BY created_at', [id]),
  });

  it('stores a long message with an emoji at every title cut, and NUL and lone surrogates, as valid text', async () => {
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'Noted 👍' });
    for (let prefix = 76; prefix <= 80; prefix++) {
      const id = `c-emoji-${prefix}`;
      const content = `${'x'.repeat(prefix)}👨‍👩‍👧‍👦\u0000 and a stray \ud83d half${'y'.repeat(200)}`;
      for (const stream of [false, true]) {
        const response = await post({ model: 'aether-offline', messages: [{ role: 'user', content }], conversation_id: id, stream });
        expect(response.status).toBe(200);
        await response.text();
      }
      const stored = await rows(id);
      const title: string = stored.conversations[0].title;
      expect(title.isWellFormed()).toBe(true);
      expect(Buffer.from(title, 'utf8').toString('utf8')).toBe(title);
      expect(title.endsWith('…')).toBe(true);
      expect(stored.messages[0].content).toBe(`${'x'.repeat(prefix)}👨‍👩‍👧‍👦 and a stray \ufffd half${'y'.repeat(200)}`);
      expect(stored.messages).toHaveLength(4);
    }
  });

  it.each(['日本', 'a\u0000b'])('refuses conversation_id %j with a 400 and stores nothing', async (id) => {
    agents.clients.orchestrator.calls.length = 0;
    const response = await post({ model: 'aether-offline', messages: [{ role: 'user', content: 'Which lights are on?' }], conversation_id: id });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ type: 'invalid_request_error', param: 'conversation_id' });
    expect(agents.clients.orchestrator.calls).toHaveLength(0);
    const [{ count }] = await database.dataSource.query("SELECT count(*)::int AS count FROM conversation_messages WHERE content = 'Which lights are on?'");
    expect(count).toBe(0);
  });

  it('answers /v1/conversations/%00 with a 400, not a database failure', async () => {
    const response = await fetch(`${gateway.origin}/v1/conversations/%00`, { headers });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ param: 'id', code: 'invalid_value' });
  });
});
