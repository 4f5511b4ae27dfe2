import { TypeOrmConversationStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import { apiKeyLabel } from './auth/api-key-auth.service';
import type { ConversationWithMessagesObject } from './conversations/conversation-objects';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';

const API_KEY = 'sk-aether-pages-key';
const MESSAGES = 1_250;
/** The caller API_KEY authenticates as. */
const OWNER = apiKeyLabel(API_KEY);

/** `GET /v1/conversations/:id` pages a long conversation, over the real store on every database at hand. */
describe.each(testDatabaseKinds())('conversation message pages on %s', (kind) => {
  let database: TestDatabase;
  let gateway: GatewayTestApp;
  const id = 'conv-long';

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const store = new TypeOrmConversationStore(database.dataSource);
    await store.append({ conversationId: id, userId: OWNER, role: 'user', content: 'message 0' });
    // The bulk of them in one statement: they share one created_at, so only the id orders them.
    await database.dataSource.query(
      `INSERT INTO conversation_messages (id, conversation_id, role, content, created_at)
       SELECT gen_random_uuid(), $1, CASE WHEN n % 2 = 0 THEN 'user' ELSE 'assistant' END, 'message ' || n, now()
       FROM generate_series(1, $2) AS n`,
      [id, MESSAGES - 2],
    );
    await store.append({ conversationId: id, userId: OWNER, role: 'assistant', content: 'the last message' });
    gateway = await startGatewayApp({ conversations: store, config: { apiKeys: [API_KEY] } });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.close();
  });

  const read = (query = '') => fetch(`${gateway.origin}/v1/conversations/${id}${query}`, { headers: { 'x-api-key': API_KEY } });

  it('answers a bounded newest page by default, saying more exist', async () => {
    const response = await read();
    expect(response.status).toBe(200);
    const page = (await response.json()) as ConversationWithMessagesObject;
    expect(page.message_count).toBe(MESSAGES);
    expect(page.messages).toHaveLength(100);
    expect(page.messages.at(-1)!.content).toBe('the last message');
    expect(page).toMatchObject({ has_more: true, first_id: page.messages[0].id, last_id: page.messages.at(-1)!.id });
  });

  it.each([7, 100, 1000])('walks the whole history with limit=%i and before, every message exactly once, in order', async (limit) => {
    const seen: ConversationWithMessagesObject['messages'][] = [];
    let before: string | undefined;
    for (;;) {
      const response = await read(`?limit=${limit}${before ? `&before=${before}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as ConversationWithMessagesObject;
      expect(page.messages.length).toBeLessThanOrEqual(limit);
      seen.unshift(page.messages);
      if (!page.has_more) break;
      before = page.first_id!;
    }
    const messages = seen.flat();
    expect(messages).toHaveLength(MESSAGES);
    expect(new Set(messages.map((m) => m.id)).size).toBe(MESSAGES);
    expect(messages[0].content).toBe('message 0');
    expect(messages.at(-1)!.content).toBe('the last message');
    expect(seen).toHaveLength(Math.ceil(MESSAGES / limit));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['before=not-a-message-here', 'before'],
    ['before=00000000-0000-4000-8000-000000000000', 'before'],
  ])('refuses ?%s with a 400 naming %s', async (query, param) => {
    const response = await read(`?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: expect.stringContaining(param), type: 'invalid_request_error', param, code: 'invalid_value' } });
  });
});
