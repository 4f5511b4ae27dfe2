import { Task, TaskState } from '@a2a-js/sdk';
import { ServerCallContext, type User } from '@a2a-js/sdk/server';
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { markNewTask } from '@aether/a2a';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { TypeOrmTaskStore } from './typeorm-task.store';

const user = (userName: string): User => ({ isAuthenticated: true, userName });
const alice = new ServerCallContext({ user: user('alice') });
const bob = new ServerCallContext({ user: user('bob') });

function task(id: string, state: string, artifactTexts: string[] = [], contextId = 'ctx-1', timestamp = new Date().toISOString()): Task {
  return Task.fromJSON({
    id,
    contextId,
    status: { state, timestamp },
    artifacts: artifactTexts.length
      ? [{ artifactId: 'answer', parts: artifactTexts.map((text) => ({ text })) }]
      : [],
    history: [{ messageId: `m-${id}`, role: 'ROLE_USER', parts: [{ text: 'hello' }, { data: { type: 'status', n: 1 } }] }],
    metadata: { traceparent: '00-abc-def-01' },
  });
}

/** Polls until `condition` holds or the deadline passes. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(testDatabaseKinds())('TypeOrmTaskStore on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    // Persistent, so reopen() can play a restarted process on PGlite too.
    db = await openTestDatabase(kind, { persistent: true });
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  it('round-trips a task through the database exactly', async () => {
    const id = randomUUID();
    const saved = task(id, 'TASK_STATE_WORKING', ['Hel', 'lo']);
    await new TypeOrmTaskStore(db.dataSource, 'architect').save(saved, alice);
    // a fresh store has nothing in memory: this reads the row
    const loaded = await new TypeOrmTaskStore(db.dataSource, 'architect').load(id, alice);
    expect(loaded).toEqual(saved);
    expect(loaded!.status!.state).toBe(TaskState.TASK_STATE_WORKING);
  });

  it('scopes tasks by agent and by caller', async () => {
    const id = randomUUID();
    await new TypeOrmTaskStore(db.dataSource, 'architect').save(task(id, 'TASK_STATE_COMPLETED'), alice);
    expect(await new TypeOrmTaskStore(db.dataSource, 'architect').load(id, alice)).toBeDefined();
    expect(await new TypeOrmTaskStore(db.dataSource, 'librarian').load(id, alice)).toBeUndefined();
    expect(await new TypeOrmTaskStore(db.dataSource, 'architect').load(id, bob)).toBeUndefined();
  });

  it('coalesces streamed saves into few writes, and the final state survives a restart', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'ds-analysts', { writeBehindMs: 50 });
    const id = randomUUID();
    const tokens: string[] = [];
    await store.save(task(id, 'TASK_STATE_SUBMITTED'), alice);
    expect(store.writes).toBe(1); // the first save is durable
    for (let i = 0; i < 300; i++) {
      tokens.push(`t${i} `);
      await store.save(task(id, 'TASK_STATE_WORKING', tokens), alice);
      // memory answers at once, with the newest snapshot
      if (i % 100 === 0) expect((await store.load(id, alice))!.artifacts[0].parts).toHaveLength(i + 1);
    }
    await store.save(task(id, 'TASK_STATE_COMPLETED', tokens), alice);
    expect(store.writes).toBeGreaterThanOrEqual(2);
    expect(store.writes).toBeLessThan(30); // not one per token
    expect(store.cachedTasks).toBe(0); // persisted final state is dropped from memory

    const reopened = await db.reopen();
    const loaded = await new TypeOrmTaskStore(reopened, 'ds-analysts').load(id, alice);
    expect(loaded!.status!.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(loaded!.artifacts[0].parts).toHaveLength(300);
  });

  it('writes a running task behind the stream, in the background', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { writeBehindMs: 20 });
    const reader = new TypeOrmTaskStore(db.dataSource, 'architect');
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await store.save(task(id, 'TASK_STATE_WORKING', ['partial']), alice);
    await store.save(task(id, 'TASK_STATE_WORKING', ['partial', ' answer']), alice);
    await eventually(async () => (await reader.load(id, alice))?.artifacts[0]?.parts.length === 2);
    expect(store.writes).toBe(2); // the first save, then one coalesced write of the newest snapshot
    expect(store.cachedTasks).toBe(1); // still running: kept in memory
  });

  it('bounds the tasks kept in memory, dropping ones already persisted', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'librarian', { maxCachedTasks: 2 });
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    expect(store.cachedTasks).toBe(2);
    // dropped ones are still served, from the database
    expect((await store.load(ids[0], alice))!.status!.state).toBe(TaskState.TASK_STATE_WORKING);
  });

  it('makes interrupted states durable at once (input-required)', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { writeBehindMs: 60_000 });
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await store.save(task(id, 'TASK_STATE_WORKING', ['draft']), alice); // held in memory (long write-behind)
    await store.save(task(id, 'TASK_STATE_INPUT_REQUIRED', ['Approve?']), alice);
    const loaded = await new TypeOrmTaskStore(db.dataSource, 'architect').load(id, alice);
    expect(loaded!.status!.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(store.writes).toBe(2);
  });

  it('flush() writes snapshots still held in memory', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { writeBehindMs: 60_000 });
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await store.save(task(id, 'TASK_STATE_WORKING', ['half an answer']), alice);
    const reader = new TypeOrmTaskStore(db.dataSource, 'architect');
    expect((await reader.load(id, alice))!.artifacts).toEqual([]);
    await store.flush();
    expect((await reader.load(id, alice))!.artifacts[0].parts).toHaveLength(1);
  });

  it("with firstSave 'background': the first save does not wait for its row, which follows at once; the final state is durable", async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { firstSave: 'background', writeBehindMs: 60_000 });
    const reader = new TypeOrmTaskStore(db.dataSource, 'architect');
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    expect(store.writes).toBe(1); // issued at once, not after writeBehindMs
    await eventually(async () => (await reader.load(id, alice)) !== undefined);
    await store.save(task(id, 'TASK_STATE_WORKING', ['Hel']), alice); // held in memory (long write-behind)
    await store.save(task(id, 'TASK_STATE_COMPLETED', ['Hel', 'lo']), alice);
    const loaded = await reader.load(id, alice);
    expect(loaded!.status!.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(loaded!.artifacts[0].parts).toHaveLength(2);
    expect(store.cachedTasks).toBe(0);
  });

  it("with finalSave 'background': the final save resolves before its row is written, answers from memory meanwhile, and the row follows at once", async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { firstSave: 'background', finalSave: 'background', writeBehindMs: 60_000 });
    const reader = new TypeOrmTaskStore(db.dataSource, 'architect');
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await eventually(async () => (await reader.load(id, alice)) !== undefined);
    const query = jest.spyOn(db.dataSource, 'query');
    let written!: () => void;
    // The final write is held until the test lets it through: save must not wait for it.
    query.mockImplementationOnce(async (...args: Parameters<typeof db.dataSource.query>) => {
      await new Promise<void>((resolve) => (written = resolve));
      query.mockRestore();
      return db.dataSource.query(...args);
    });
    try {
      await store.save(task(id, 'TASK_STATE_COMPLETED', ['done']), alice);
      expect(query).toHaveBeenCalledTimes(1); // issued at once, not after writeBehindMs
      expect((await store.load(id, alice))!.status!.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect((await reader.load(id, alice))!.status!.state).toBe(TaskState.TASK_STATE_WORKING);
    } finally {
      written();
    }
    await eventually(async () => (await reader.load(id, alice))!.status!.state === TaskState.TASK_STATE_COMPLETED);
    await eventually(async () => store.cachedTasks === 0);
  });

  it("with firstSave 'deferred': a task that ends within the write-behind delay is written once, at its end", async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'librarian', { firstSave: 'deferred', finalSave: 'background', writeBehindMs: 60_000 });
    const reader = new TypeOrmTaskStore(db.dataSource, 'librarian');
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await store.save(task(id, 'TASK_STATE_WORKING', ['Two lights']), alice);
    expect(store.writes).toBe(0);
    expect((await store.load(id, alice))!.status!.state).toBe(TaskState.TASK_STATE_WORKING); // from memory
    await store.save(task(id, 'TASK_STATE_COMPLETED', ['Two lights', ' are on.']), alice);
    await eventually(async () => (await reader.load(id, alice))?.status?.state === TaskState.TASK_STATE_COMPLETED);
    expect(store.writes).toBe(1);
    expect((await reader.load(id, alice))!.artifacts[0].parts).toHaveLength(2);
    await eventually(async () => store.cachedTasks === 0);
  });

  it("with firstSave 'deferred': a task still running after the write-behind delay is written then, and a task waiting for input at once", async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'ds-analysts', { firstSave: 'deferred', finalSave: 'background', writeBehindMs: 20 });
    const reader = new TypeOrmTaskStore(db.dataSource, 'ds-analysts');
    const running = randomUUID();
    await store.save(task(running, 'TASK_STATE_WORKING', ['Reading 30 days…']), alice);
    await eventually(async () => (await reader.load(running, alice)) !== undefined);
    expect((await reader.load(running, alice))!.status!.state).toBe(TaskState.TASK_STATE_WORKING);

    const waiting = randomUUID();
    await store.save(task(waiting, 'TASK_STATE_WORKING'), alice);
    await store.save(task(waiting, 'TASK_STATE_INPUT_REQUIRED', ['Which meter?']), alice);
    expect((await reader.load(waiting, alice))!.status!.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });

  it("with finalSave 'background': a task left waiting for input is still written before save resolves", async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect', { firstSave: 'background', finalSave: 'background', writeBehindMs: 60_000 });
    const id = randomUUID();
    await store.save(task(id, 'TASK_STATE_WORKING'), alice);
    await store.save(task(id, 'TASK_STATE_INPUT_REQUIRED', ['Approve?']), alice);
    const loaded = await new TypeOrmTaskStore(db.dataSource, 'architect').load(id, alice);
    expect(loaded!.status!.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });

  it('answers the load of a task the call is creating from memory, without a query', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'architect');
    const id = randomUUID();
    const context = new ServerCallContext({ user: user('alice') });
    markNewTask(context, id);
    const query = jest.spyOn(db.dataSource, 'query');
    try {
      expect(await store.load(id, context)).toBeUndefined();
      expect(query).not.toHaveBeenCalled();
      // Any other task is still read from the database.
      expect(await store.load(randomUUID(), context)).toBeUndefined();
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
  });

  it('lets two replicas on one database share a finished task', async () => {
    const replicaSource = kind === 'postgres' ? await db.connectAnother() : db.dataSource; // PGlite is single-process
    const replicaA = new TypeOrmTaskStore(db.dataSource, 'developer');
    const replicaB = new TypeOrmTaskStore(replicaSource, 'developer');
    const id = randomUUID();
    await replicaA.save(task(id, 'TASK_STATE_WORKING'), alice);
    await replicaA.save(task(id, 'TASK_STATE_WORKING', ['deploying']), alice);
    await replicaA.save(task(id, 'TASK_STATE_COMPLETED', ['deployed']), alice);
    const seen = await replicaB.load(id, alice);
    expect(seen!.status!.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(seen!.artifacts[0].parts).toEqual(task(id, 'TASK_STATE_COMPLETED', ['deployed']).artifacts[0].parts);
  });

  it('lists a caller’s tasks newest first, filtered and paged', async () => {
    const store = new TypeOrmTaskStore(db.dataSource, 'dashboard-designer');
    const contextId = `ctx-${randomUUID()}`;
    const base = Date.parse('2026-01-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `task-${i}-${randomUUID()}`;
      ids.push(id);
      const state = i === 4 ? 'TASK_STATE_FAILED' : 'TASK_STATE_COMPLETED';
      await store.save(task(id, state, ['x'], contextId, new Date(base + i * 1000).toISOString()), alice);
    }
    await store.save(task(randomUUID(), 'TASK_STATE_COMPLETED', [], contextId), bob);

    const page1 = await store.list({ contextId, pageSize: 2 } as Parameters<TypeOrmTaskStore['list']>[0], alice);
    expect(page1.totalSize).toBe(5);
    expect(page1.tasks.map((t) => t.id)).toEqual([ids[4], ids[3]]);
    expect(page1.tasks[0].artifacts).toEqual([]); // artifacts only on request
    const page2 = await store.list({ contextId, pageSize: 2, pageToken: page1.nextPageToken, includeArtifacts: true } as Parameters<TypeOrmTaskStore['list']>[0], alice);
    expect(page2.tasks.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    expect(page2.tasks[0].artifacts).toHaveLength(1);
    const page3 = await store.list({ contextId, pageSize: 2, pageToken: page2.nextPageToken } as Parameters<TypeOrmTaskStore['list']>[0], alice);
    expect(page3.tasks.map((t) => t.id)).toEqual([ids[0]]);
    expect(page3.nextPageToken).toBe('');

    const failed = await store.list({ contextId, status: TaskState.TASK_STATE_FAILED } as Parameters<TypeOrmTaskStore['list']>[0], alice);
    expect(failed.tasks.map((t) => t.id)).toEqual([ids[4]]);
    const after = await store.list(
      { contextId, statusTimestampAfter: new Date(base + 2500).toISOString() } as Parameters<TypeOrmTaskStore['list']>[0],
      alice,
    );
    expect(after.tasks.map((t) => t.id)).toEqual([ids[4], ids[3]]);
  });

  describe('a task the database refuses (jsonb cannot hold U+0000)', () => {
    const unsaveable = (id: string, state: string, contextId: string) => task(id, state, ['bad \u0000 text'], contextId);
    const listIn = (store: TypeOrmTaskStore, contextId: string) =>
      store.list({ contextId } as Parameters<TypeOrmTaskStore['list']>[0], alice);

    it('fails its own durable save, and ListTasks keeps working for the others', async () => {
      const store = new TypeOrmTaskStore(db.dataSource, 'architect');
      const contextId = `ctx-${randomUUID()}`;
      const good = randomUUID();
      await store.save(task(good, 'TASK_STATE_COMPLETED', ['fine'], contextId), alice);
      await expect(store.save(unsaveable(randomUUID(), 'TASK_STATE_WORKING', contextId), alice)).rejects.toThrow();
      expect(store.cachedTasks).toBe(0); // the refused snapshot left memory
      expect((await listIn(store, contextId)).tasks.map((t) => t.id)).toEqual([good]);
      expect((await listIn(store, contextId)).tasks.map((t) => t.id)).toEqual([good]); // and stays fine
    });

    it('a refused background write is dropped, not retried into every later listing', async () => {
      const store = new TypeOrmTaskStore(db.dataSource, 'architect', { firstSave: 'background', writeBehindMs: 60_000 });
      const contextId = `ctx-${randomUUID()}`;
      const good = randomUUID();
      const bad = randomUUID();
      await store.save(task(good, 'TASK_STATE_WORKING', ['fine'], contextId), alice);
      await store.save(unsaveable(bad, 'TASK_STATE_WORKING', contextId), alice); // resolves: its write runs behind
      await store.save(unsaveable(bad, 'TASK_STATE_WORKING', contextId), alice); // a newer snapshot, still unsaveable
      const listed = await listIn(store, contextId);
      expect(listed.tasks.map((t) => t.id)).toEqual([good]);
      await eventually(async () => store.cachedTasks === 1); // only the good running task stays in memory
      expect(await store.load(bad, alice)).toBeUndefined();
      expect((await listIn(store, contextId)).tasks.map((t) => t.id)).toEqual([good]);
    });

    it('a task whose write failed is written again by its next good save', async () => {
      const store = new TypeOrmTaskStore(db.dataSource, 'architect');
      const contextId = `ctx-${randomUUID()}`;
      const id = randomUUID();
      await expect(store.save(unsaveable(id, 'TASK_STATE_WORKING', contextId), alice)).rejects.toThrow();
      await store.save(task(id, 'TASK_STATE_COMPLETED', ['recovered'], contextId), alice);
      const listed = await store.list({ contextId, includeArtifacts: true } as Parameters<TypeOrmTaskStore['list']>[0], alice);
      expect(listed.tasks.map((t) => JSON.stringify((Task.toJSON(t) as { artifacts?: unknown }).artifacts))).toEqual([expect.stringContaining('recovered')]);
    });
  });
});
