import { once } from 'node:events';
import { threadId } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { AnalysisPool } from './analysis-pool';
import { bundleWorkersForTest, type TestWorkers } from './testing/bundle-workers-for-test';

describe('AnalysisPool', () => {
  let workers: TestWorkers;
  beforeAll(async () => {
    workers = await bundleWorkersForTest({ 'pool-probe': fileURLToPath(new URL('./testing/pool-probe.test-worker.ts', import.meta.url)) });
  }, 60_000);
  afterAll(() => workers?.remove());

  const pools: AnalysisPool[] = [];
  const newPool = (options: ConstructorParameters<typeof AnalysisPool>[0] = {}) => {
    const pool = new AnalysisPool({ workersDir: workers.dir, ...options });
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.onApplicationShutdown()));
  });

  it('starts no thread until the first run', () => {
    expect(newPool().threads).toHaveLength(0);
  });

  it('runs a named task with its input in another thread and resolves with its result', async () => {
    const result = await newPool().run<{ echo: string }, { threadId: number; echo: string }>('pool-probe', 'whereAmI', { echo: 'hello' });
    expect(result.echo).toBe('hello');
    expect(result.threadId).not.toBe(threadId);
  });

  it('uses up to maxThreads threads for parallel runs', async () => {
    const pool = newPool({ maxThreads: 2 });
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => pool.run<{ ms: number }, { threadId: number }>('pool-probe', 'spin', { ms: 100 })),
    );
    // Two threads, neither of them this one: parallel runs are spread, not queued on one.
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(results.every((r) => r.threadId !== threadId)).toBe(true);
    expect(pool.threads.length).toBeLessThanOrEqual(2);
  });

  it("rejects with the task's error message", async () => {
    await expect(newPool().run('pool-probe', 'fail', { message: 'meter history is malformed' })).rejects.toThrow('meter history is malformed');
  });

  it('rejects a run whose signal aborts', async () => {
    const controller = new AbortController();
    const run = newPool().run('pool-probe', 'spin', { ms: 2_000 }, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toThrow(/abort/i);
  });

  it('ends its threads on application shutdown and refuses runs afterwards', async () => {
    const pool = newPool();
    await pool.run('pool-probe', 'whereAmI', { echo: 'x' });
    expect(pool.threads.length).toBeGreaterThan(0);
    await pool.onApplicationShutdown();
    expect(pool.threads).toHaveLength(0);
    await expect(pool.run('pool-probe', 'whereAmI', { echo: 'x' })).rejects.toThrow(/shut down/);
  });

  it('ends idle threads after the idle timeout', async () => {
    const pool = newPool({ idleTimeoutMs: 50 });
    await pool.run('pool-probe', 'whereAmI', { echo: 'x' });
    expect(pool.threads).toHaveLength(1);
    // Wait for the thread's own exit event, not for a time.
    await once(pool.threads[0], 'exit');
    expect(pool.threads).toHaveLength(0);
  });

  it('says which file is missing and how it is built, instead of running in-process', async () => {
    await expect(newPool().run('no-such-analysis', 'anything', {})).rejects.toThrow(
      /analysis worker file .*no-such-analysis\.js is missing: it is bundled from .*no-such-analysis\.worker\.ts by tools\/build\/build-app\.mjs/,
    );
  });
});
