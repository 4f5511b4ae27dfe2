import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { ConversationNotFoundError } from './conversation-not-found.error';
import { conversationTitle, TypeOrmConversationStore } from './typeorm-conversation.store';

describe.each(testDatabaseKinds())('TypeOrmConversationStore on %s', (kind) => {
  let db: TestDatabase;
  let store: TypeOrmConversationStore;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new TypeOrmConversationStore(db.dataSource);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('creates the conversation on the first append, titled by the first user message', async () => {
    const first = await store.append({ conversationId: 'c-create', userId: 'alice', role: 'user', content: '  Turn on\n the kitchen lights please ' });
    expect(first).toMatchObject({ conversationId: 'c-create', role: 'user', status: 'complete', agents: [], model: null });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    await store.append({
      conversationId: 'c-create',
      userId: 'alice',
      role: 'assistant',
      content: 'Done.',
      agents: ['orchestrator', 'architect'],
      model: 'aether-offline',
      promptTokens: 12,
      completionTokens: 3,
    });
    await store.append({ conversationId: 'c-create', userId: 'alice', role: 'user', content: 'And the hallway?' });

    const conversation = await store.get('c-create', 'alice');
    expect(conversation).toMatchObject({ id: 'c-create', userId: 'alice', title: 'Turn on the kitchen lights please', messageCount: 3 });
    expect(conversation!.messages.map((m) => m.content)).toEqual(['  Turn on\n the kitchen lights please ', 'Done.', 'And the hallway?']);
    expect(conversation!.messages[1]).toMatchObject({
      agents: ['orchestrator', 'architect'],
      model: 'aether-offline',
      promptTokens: 12,
      completionTokens: 3,
    });
    expect(conversation!.updatedAt.getTime()).toBeGreaterThan(conversation!.createdAt.getTime());
  });

  it('finds a conversation by its opening, only for its owner, and keeps the first opening recorded', async () => {
    await store.append({ conversationId: 'c-open', userId: 'alice', role: 'user', content: 'What lights are on?' });
    expect(await store.findByOpening('alice', 'hash-1')).toBeUndefined();
    await store.append({ conversationId: 'c-open', userId: 'alice', role: 'assistant', content: 'The porch light.', opening: 'hash-1' });
    await store.append({ conversationId: 'c-open', userId: 'alice', role: 'user', content: 'And the kitchen?', opening: 'hash-2' });
    expect(await store.findByOpening('alice', 'hash-1')).toBe('c-open');
    expect(await store.findByOpening('alice', 'hash-2')).toBeUndefined();
    expect(await store.findByOpening('bob', 'hash-1')).toBeUndefined();
  });

  it('shortens long titles to one line', () => {
    expect(conversationTitle('a'.repeat(200))).toHaveLength(80);
    expect(conversationTitle('a'.repeat(200)).endsWith('…')).toBe(true);
  });

  it('returns the last complete turns as history, oldest first, without failed turns', async () => {
    for (let i = 1; i <= 4; i++) {
      await store.append({ conversationId: 'c-history', userId: 'alice', role: 'user', content: `q${i}` });
      await store.append({
        conversationId: 'c-history',
        userId: 'alice',
        role: 'assistant',
        content: i === 3 ? 'LLM unreachable' : `a${i}`,
        status: i === 3 ? 'failed' : 'complete',
      });
    }
    expect(await store.history('c-history', 'alice', 3)).toEqual([
      { role: 'user', content: 'q3' },
      { role: 'user', content: 'q4' },
      { role: 'assistant', content: 'a4' },
    ]);
    expect((await store.history('c-history', 'alice', 100)).map((t) => t.content)).toEqual(['q1', 'a1', 'q2', 'a2', 'q3', 'q4', 'a4']);
    expect(await store.history('c-history', 'alice', 0)).toEqual([]);
  });

  it('keeps the order messages were stored in when their times tie (a coarse clock), in history and in pages', async () => {
    for (const content of ['q1', 'a1', 'q2', 'a2']) {
      await store.append({ conversationId: 'c-tie', userId: 'alice', role: content.startsWith('q') ? 'user' : 'assistant', content });
    }
    await db.dataSource.query(`UPDATE conversation_messages SET created_at = '2026-12-04T12:00:00Z' WHERE conversation_id = 'c-tie'`);
    expect((await store.history('c-tie', 'alice', 100)).map((t) => t.content)).toEqual(['q1', 'a1', 'q2', 'a2']);
    const newest = await store.get('c-tie', 'alice', { limit: 2 });
    expect(newest?.messages.map((m) => m.content)).toEqual(['q2', 'a2']);
    const older = await store.get('c-tie', 'alice', { limit: 2, before: newest!.messages[0].id });
    expect(older?.messages.map((m) => m.content)).toEqual(['q1', 'a1']);
  });

  it("scopes everything to the owner: another user's conversation is not found", async () => {
    await store.append({ conversationId: 'c-private', userId: 'alice', role: 'user', content: 'secret' });
    expect(await store.get('c-private', 'bob')).toBeNull();
    expect(await store.history('c-private', 'bob', 10)).toEqual([]);
    expect(await store.delete('c-private', 'bob')).toBe(false);
    await expect(store.append({ conversationId: 'c-private', userId: 'bob', role: 'user', content: 'hijack' })).rejects.toThrow(
      ConversationNotFoundError,
    );
    expect((await store.get('c-private', 'alice'))!.messageCount).toBe(1);
    expect((await store.list('bob')).map((c) => c.id)).not.toContain('c-private');
  });

  it('lists a user’s conversations most recently updated first, with paging', async () => {
    for (const id of ['l-1', 'l-2', 'l-3']) await store.append({ conversationId: id, userId: 'carol', role: 'user', content: id });
    await store.append({ conversationId: 'l-1', userId: 'carol', role: 'assistant', content: 'later' });
    const all = await store.list('carol');
    expect(all.map((c) => c.id)).toEqual(['l-1', 'l-3', 'l-2']);
    expect(all[0].messageCount).toBe(2);
    expect((await store.list('carol', { limit: 1, offset: 1 })).map((c) => c.id)).toEqual(['l-3']);
  });

  it('lists the conversation written to last first when their update times tie (a coarse clock)', async () => {
    for (const id of ['t-b', 't-a', 't-c']) await store.append({ conversationId: id, userId: 'erin', role: 'user', content: id });
    await db.dataSource.query(`UPDATE conversations SET updated_at = '2026-12-04T12:00:00Z' WHERE user_id = 'erin'`);
    expect((await store.list('erin')).map((c) => c.id)).toEqual(['t-c', 't-a', 't-b']);
  });

  it('deletes a conversation with its messages', async () => {
    await store.append({ conversationId: 'c-delete', userId: 'dave', role: 'user', content: 'bye' });
    await store.append({ conversationId: 'c-delete', userId: 'dave', role: 'assistant', content: 'bye!' });
    expect(await store.delete('c-delete', 'dave')).toBe(true);
    expect(await store.get('c-delete', 'dave')).toBeNull();
    const [{ left }]: { left: number }[] = await db.dataSource.query(
      `SELECT count(*)::int AS left FROM conversation_messages WHERE conversation_id = 'c-delete'`,
    );
    expect(left).toBe(0);
    expect(await store.delete('c-delete', 'dave')).toBe(false);
  });
});
