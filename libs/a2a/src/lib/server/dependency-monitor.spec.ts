import { jest } from '@jest/globals';
import { DependencyMonitor } from './dependency-monitor';
import type { ReadinessCheck } from './readiness-checks';

const SETTINGS = { intervalMs: 5_000, timeoutMs: 3_000, failuresToDown: 3, successesToUp: 1 };

/** A check whose next outcomes the test decides, counting its calls. */
function scriptedCheck(name = 'database') {
  const script = { up: true, hang: false, calls: 0 };
  const check: ReadinessCheck = {
    name,
    check: async () => {
      script.calls += 1;
      if (script.hang) return new Promise<void>(() => undefined);
      if (!script.up) throw new Error(`${name} refused the connection`);
    },
  };
  return { script, check };
}

describe('DependencyMonitor', () => {
  let monitor: DependencyMonitor | undefined;

  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') }));
  afterEach(() => {
    monitor?.stop();
    jest.useRealTimers();
  });

  /** Advances the fake clock by one probe interval and lets the probes settle. */
  const nextRound = () => jest.advanceTimersByTimeAsync(SETTINGS.intervalMs);
  /** A round whose probe hangs settles when the probe timeout fires. */
  const hungRound = async () => {
    await nextRound();
    await jest.advanceTimersByTimeAsync(SETTINGS.timeoutMs);
  };

  it('is pending until the first probe, which decides directly, with the time it settled', async () => {
    const { check } = scriptedCheck();
    monitor = new DependencyMonitor([check], SETTINGS);
    expect(monitor.states()).toEqual({ database: { status: 'pending', last_checked: null } });
    expect(monitor.failing()).toEqual(['database']);
    monitor.start();
    await monitor.checked();
    expect(monitor.state('database')).toMatchObject({ status: 'up', last_checked: '2026-12-04T12:00:00.000Z' });
    expect(monitor.failing()).toEqual([]);
  });

  it('turns down only after N consecutive failures, and up again after one success', async () => {
    const { script, check } = scriptedCheck();
    monitor = new DependencyMonitor([check], SETTINGS);
    monitor.start();
    await monitor.checked();

    script.up = false;
    await nextRound();
    expect(monitor.state('database')).toMatchObject({ status: 'up', error: 'database refused the connection' });
    await nextRound();
    expect(monitor.state('database')?.status).toBe('up');
    // A success in between resets the count.
    script.up = true;
    await nextRound();
    script.up = false;
    await nextRound();
    await nextRound();
    expect(monitor.state('database')?.status).toBe('up');
    await nextRound();
    expect(monitor.state('database')).toMatchObject({
      status: 'down',
      error: 'database refused the connection',
      last_checked: '2026-12-04T12:00:30.000Z',
    });

    script.up = true;
    await nextRound();
    expect(monitor.state('database')).toEqual({ status: 'up', last_checked: '2026-12-04T12:00:35.000Z', latencyMs: expect.any(Number) });
  });

  it('does not flap when a busy dependency times out once or twice, and counts hung probes as failures', async () => {
    const { script, check } = scriptedCheck('agent:architect');
    monitor = new DependencyMonitor([check], SETTINGS);
    monitor.start();
    await monitor.checked();

    script.hang = true;
    await hungRound();
    expect(monitor.state('agent:architect')).toMatchObject({ status: 'up', error: 'no answer within 3000 ms' });
    await hungRound();
    script.hang = false;
    await nextRound();
    expect(monitor.state('agent:architect')).toEqual(expect.objectContaining({ status: 'up' }));
    expect(monitor.state('agent:architect')?.error).toBeUndefined();

    script.hang = true;
    for (let round = 0; round < SETTINGS.failuresToDown - 1; round += 1) await hungRound();
    expect(monitor.state('agent:architect')?.status).toBe('up');
    await hungRound();
    expect(monitor.state('agent:architect')).toMatchObject({ status: 'down', error: 'no answer within 3000 ms' });
  });

  it('waits for M successes when configured so, and a first failed probe is down at once', async () => {
    const { script, check } = scriptedCheck();
    script.up = false;
    monitor = new DependencyMonitor([check], { ...SETTINGS, successesToUp: 2 });
    monitor.start();
    await monitor.checked();
    expect(monitor.state('database')?.status).toBe('down');
    script.up = true;
    await nextRound();
    expect(monitor.state('database')?.status).toBe('down');
    await nextRound();
    expect(monitor.state('database')?.status).toBe('up');
  });

  it('probes on its interval only: reading the state never probes, and stop() ends the probing', async () => {
    const { script, check } = scriptedCheck();
    monitor = new DependencyMonitor([check], SETTINGS);
    monitor.start();
    await monitor.checked();
    expect(script.calls).toBe(1);
    for (let read = 0; read < 100; read += 1) monitor.states();
    expect(script.calls).toBe(1);
    await nextRound();
    expect(script.calls).toBe(2);
    monitor.stop();
    await nextRound();
    await nextRound();
    expect(script.calls).toBe(2);
  });

  it('does not keep the process alive (its timer is unref-ed)', () => {
    jest.useRealTimers();
    const { check } = scriptedCheck();
    const spy = jest.spyOn(global, 'setInterval');
    monitor = new DependencyMonitor([check], SETTINGS);
    monitor.start();
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
  });
});
