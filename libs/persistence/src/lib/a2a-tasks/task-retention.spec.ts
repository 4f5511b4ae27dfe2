import { Task } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import { loadConfig } from '@aether/config';
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { deleteExpiredTasks } from './task-retention';
import { TypeOrmTaskStore } from './typeorm-task.store';
import { TASK_RETENTION_SWEEP_MS, TypeOrmTaskStoreFactory } from './typeorm-task-store.factory';

const alice = new ServerCallContext({ user: { isAuthenticated: true, userName: 'alice' } });
const HOUR = 3_600_000;

function task(id: string, state: string): Task {
  return Task.fromJSON({ id, contextId: 'ctx-retention', status: { state, timestamp: new Date().toISOString() }, artifacts: [], history: [] });
}

describe.each(testDatabaseKinds())('A2A task retention on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  /** Saves a task through the real store, then ages its row by `ageHours`. */
  async function storeTask(agent: string, state: string, ageHours: number): Promise<string> {
    const id = randomUUID();
    await new TypeOrmTaskStore(db.dataSource, agent).save(task(id, state), alice);
    await db.dataSource.query(`UPDATE a2a_tasks SET updated_at = now() - make_interval(secs => $3) WHERE agent = $1 AND id = $2`, [
      agent,
      id,
      ageHours * 3600,
    ]);
    return id;
  }

  async function idsOf(agent: string): Promise<Set<string>> {
    const rows: { id: string }[] = await db.dataSource.query(`SELECT id FROM a2a_tasks WHERE agent = $1`, [agent]);
    return new Set(rows.map((row) => row.id));
  }

  it('removes old finished tasks in batches and keeps open ones whatever their age, recent ones and other agents’ rows', async () => {
    const agent = `retention-${randomUUID().slice(0, 8)}`;
    const other = `${agent}-other`;
    const oldFinished: string[] = [];
    for (const state of ['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED']) {
      for (let i = 0; i < 3; i++) oldFinished.push(await storeTask(agent, state, 100));
    }
    const kept = [
      await storeTask(agent, 'TASK_STATE_INPUT_REQUIRED', 500),
      await storeTask(agent, 'TASK_STATE_WORKING', 500),
      await storeTask(agent, 'TASK_STATE_SUBMITTED', 500),
      await storeTask(agent, 'TASK_STATE_AUTH_REQUIRED', 500),
      await storeTask(agent, 'TASK_STATE_COMPLETED', 1), // finished, but younger than the cut-off
    ];
    const otherAgentsTask = await storeTask(other, 'TASK_STATE_COMPLETED', 100);

    const removed = await deleteExpiredTasks(db.dataSource, {
      agents: [agent],
      olderThan: new Date(Date.now() - 72 * HOUR),
      batchSize: 5, // 12 rows: three batches, the last one short
    });

    expect(removed).toBe(oldFinished.length);
    expect(await idsOf(agent)).toEqual(new Set(kept));
    expect(await idsOf(other)).toEqual(new Set([otherAgentsTask]));
    // A second run finds nothing left to do.
    expect(await deleteExpiredTasks(db.dataSource, { agents: [agent], olderThan: new Date(Date.now() - 72 * HOUR) })).toBe(0);
  });

  it('runs from the task-store factory with the configured age, for the agents whose stores it made', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), taskRetention: { maxAgeHours: 24, maxMemoryMb: 8 } };
    const factory = new TypeOrmTaskStoreFactory(db.dataSource, config);
    factory.create('ds-analysts'); // a durable agent: its rows are this factory's to clean
    try {
      const expired = await storeTask('ds-analysts', 'TASK_STATE_COMPLETED', 25);
      const fresh = await storeTask('ds-analysts', 'TASK_STATE_COMPLETED', 23);
      const open = await storeTask('ds-analysts', 'TASK_STATE_INPUT_REQUIRED', 25);
      const notMine = await storeTask('librarian', 'TASK_STATE_COMPLETED', 25);

      expect(await factory.sweep()).toBeGreaterThanOrEqual(1);
      const left = await idsOf('ds-analysts');
      expect(left.has(expired)).toBe(false);
      expect(left.has(fresh)).toBe(true);
      expect(left.has(open)).toBe(true);
      expect((await idsOf('librarian')).has(notMine)).toBe(true);
    } finally {
      await factory.beforeApplicationShutdown();
    }
  });

  it('has the partial index of finished tasks (by agent and age) the sweep reads', async () => {
    const indexes: { indexdef: string }[] = await db.dataSource.query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_a2a_tasks_finished_updated' AND schemaname = current_schema()`,
    );
    expect(indexes).toHaveLength(1);
    expect(indexes[0].indexdef).toMatch(/\(agent, updated_at\) WHERE/);
  });
});

describe('the retention schedule of TypeOrmTaskStoreFactory', () => {
  afterEach(() => jest.useRealTimers());

  it('sweeps a minute after its first store, then every period, and stops at shutdown', async () => {
    jest.useFakeTimers();
    const factory = new TypeOrmTaskStoreFactory({} as DataSource);
    const sweep = jest.spyOn(factory, 'sweep').mockResolvedValue(0);
    jest.advanceTimersByTime(2 * TASK_RETENTION_SWEEP_MS);
    expect(sweep).not.toHaveBeenCalled(); // nothing to sweep before a store exists
    factory.create('orchestrator');
    factory.create('architect');
    jest.advanceTimersByTime(60_000);
    expect(sweep).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(TASK_RETENTION_SWEEP_MS);
    expect(sweep).toHaveBeenCalledTimes(2);
    await factory.beforeApplicationShutdown();
    jest.advanceTimersByTime(5 * TASK_RETENTION_SWEEP_MS);
    expect(sweep).toHaveBeenCalledTimes(2);
  });
});
