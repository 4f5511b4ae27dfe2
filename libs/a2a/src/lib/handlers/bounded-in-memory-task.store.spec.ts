import { Task, TaskState } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import { BoundedInMemoryTaskStore } from './bounded-in-memory-task.store';

const alice = new ServerCallContext({ user: { isAuthenticated: true, userName: 'alice' } });
const bob = new ServerCallContext({ user: { isAuthenticated: true, userName: 'bob' } });
const HOUR = 3_600_000;

function task(id: string, state: string): Task {
  return Task.fromJSON({ id, contextId: 'ctx', status: { state, timestamp: new Date().toISOString() }, artifacts: [], history: [] });
}

describe('BoundedInMemoryTaskStore', () => {
  it('keeps at most maxFinishedTasks finished tasks, dropping the ones that finished first, and every open task', async () => {
    const store = new BoundedInMemoryTaskStore({ maxFinishedTasks: 3 });
    await store.save(task('open-1', 'TASK_STATE_WORKING'), alice);
    await store.save(task('open-2', 'TASK_STATE_INPUT_REQUIRED'), alice);
    for (let i = 1; i <= 5; i++) await store.save(task(`done-${i}`, 'TASK_STATE_COMPLETED'), alice);

    expect(store.size).toBe(5); // 2 open + the last 3 finished
    for (const gone of ['done-1', 'done-2']) expect(await store.load(gone, alice)).toBeUndefined();
    for (const kept of ['open-1', 'open-2', 'done-3', 'done-4', 'done-5']) expect(await store.load(kept, alice)).toBeDefined();
    const listed = await store.list({ pageSize: 100 } as Parameters<BoundedInMemoryTaskStore['list']>[0], alice);
    expect(listed.totalSize).toBe(5);
  });

  it('keeps the finished tasks within maxFinishedBytes (their size as JSON), the oldest going first, the newest always', async () => {
    const answer = (id: string, chars: number) =>
      Task.fromJSON({
        id,
        contextId: 'ctx',
        status: { state: 'TASK_STATE_COMPLETED', timestamp: new Date().toISOString() },
        artifacts: [{ artifactId: 'answer', parts: [{ text: 'x'.repeat(chars) }] }],
        history: [],
      });
    const store = new BoundedInMemoryTaskStore({ maxFinishedBytes: 25_000 });
    await store.save(task('open', 'TASK_STATE_WORKING'), alice);
    for (let i = 1; i <= 5; i++) await store.save(answer(`big-${i}`, 10_000), alice);

    // About 10 kB each: the last two fit in 25 kB, the open task is kept whatever its age or size.
    for (const gone of ['big-1', 'big-2', 'big-3']) expect(await store.load(gone, alice)).toBeUndefined();
    for (const kept of ['open', 'big-4', 'big-5']) expect(await store.load(kept, alice)).toBeDefined();
    expect(store.finishedSize).toBeGreaterThan(20_000);
    expect(store.finishedSize).toBeLessThanOrEqual(25_000);

    // A task larger than the whole budget is still kept until the next one finishes.
    await store.save(answer('huge', 60_000), alice);
    expect(await store.load('huge', alice)).toBeDefined();
    expect(await store.load('big-5', alice)).toBeUndefined();
    await store.save(task('small', 'TASK_STATE_COMPLETED'), alice);
    expect(await store.load('huge', alice)).toBeUndefined();
    expect(store.finishedSize).toBeLessThan(1_000);
  });

  it('drops finished tasks past their age and keeps open ones however old', async () => {
    let now = 0;
    const store = new BoundedInMemoryTaskStore({ maxFinishedAgeMs: 24 * HOUR, now: () => now });
    await store.save(task('old-done', 'TASK_STATE_FAILED'), alice);
    await store.save(task('old-open', 'TASK_STATE_INPUT_REQUIRED'), alice);
    now = 10 * HOUR;
    await store.save(task('young-done', 'TASK_STATE_CANCELED'), alice);
    now = 25 * HOUR;
    expect(store.deleteOlderThan(new Date(now - 24 * HOUR))).toBe(1);
    expect(await store.load('old-done', alice)).toBeUndefined();
    expect((await store.load('old-open', alice))?.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    // A save sweeps too.
    now = 35 * HOUR;
    await store.save(task('new-open', 'TASK_STATE_WORKING'), alice);
    expect(await store.load('young-done', alice)).toBeUndefined();
    expect(await store.load('old-open', alice)).toBeDefined();
  });

  it('scopes tasks by caller, like the SDK store', async () => {
    const store = new BoundedInMemoryTaskStore();
    await store.save(task('t-1', 'TASK_STATE_COMPLETED'), alice);
    expect(await store.load('t-1', alice)).toBeDefined();
    expect(await store.load('t-1', bob)).toBeUndefined();
  });
});
