import type { HealthProbeSettings } from '@aether/config';
import type { ReadinessCheck } from './readiness-checks';

/** `pending` until the first probe of a dependency has settled. */
export type DependencyStatus = 'pending' | 'up' | 'down';

export interface DependencyState {
  status: DependencyStatus;
  /** ISO time the last probe settled; null before the first. */
  last_checked: string | null;
  /** Duration of the last probe. */
  latencyMs?: number;
  /** Why the last probe failed (kept while failures have not yet turned the dependency down). */
  error?: string;
}

interface Tracked {
  check: ReadinessCheck;
  state: DependencyState;
  failures: number;
  successes: number;
  running: boolean;
}

/**
 * Probes dependencies on an interval, in the background, so `/ready` and the gateway's report read
 * state instead of calling dependencies per request. Hysteresis (no library does this small state
 * machine over our checks): a dependency that was up turns down only after `failuresToDown`
 * consecutive failed probes — a probe timing out once because the service is busy does not flap it —
 * and one that was down turns up after `successesToUp` successes. The first probe decides directly.
 */
export class DependencyMonitor {
  private readonly tracked: Tracked[];
  private timer?: NodeJS.Timeout;
  private firstRound?: Promise<void>;

  constructor(
    checks: readonly ReadinessCheck[],
    private readonly settings: HealthProbeSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tracked = checks.map((check) => ({ check, state: { status: 'pending', last_checked: null }, failures: 0, successes: 0, running: false }));
  }

  /** Probes everything now, then every `intervalMs` until `stop()`; the timer never keeps the process alive. */
  start(): void {
    if (this.timer) return;
    this.firstRound = this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.settings.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves once the first round of probes has settled (every dependency is `up` or `down`). */
  async checked(): Promise<void> {
    await this.firstRound;
  }

  /** The state of every dependency, by check name. */
  states(): Record<string, DependencyState> {
    return Object.fromEntries(this.tracked.map(({ check, state }) => [check.name, { ...state }]));
  }

  state(name: string): DependencyState | undefined {
    const tracked = this.tracked.find(({ check }) => check.name === name);
    return tracked && { ...tracked.state };
  }

  /** Names of the dependencies (all, or the `among` ones) that are not up. */
  failing(among?: readonly string[]): string[] {
    return this.tracked
      .filter(({ check, state }) => state.status !== 'up' && (!among || among.includes(check.name)))
      .map(({ check }) => check.name);
  }

  /** Probes every dependency now (as the interval does); resolves when they have settled. */
  async probeAll(): Promise<void> {
    await Promise.all(this.tracked.map((tracked) => this.probe(tracked)));
  }

  private async probe(tracked: Tracked): Promise<void> {
    // A probe that has not settled yet is still the one that counts.
    if (tracked.running) return;
    tracked.running = true;
    const started = performance.now();
    const controller = new AbortController();
    let timeout: NodeJS.Timeout | undefined;
    let error: string | undefined;
    try {
      await Promise.race([
        tracked.check.check(controller.signal),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => {
            controller.abort();
            reject(new Error(`no answer within ${this.settings.timeoutMs} ms`));
          }, this.settings.timeoutMs);
          timeout.unref();
        }),
      ]);
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    } finally {
      clearTimeout(timeout);
      tracked.running = false;
    }
    this.record(tracked, error, Math.round((performance.now() - started) * 10) / 10);
  }

  private record(tracked: Tracked, error: string | undefined, latencyMs: number): void {
    const { state } = tracked;
    if (error === undefined) {
      tracked.successes += 1;
      tracked.failures = 0;
    } else {
      tracked.failures += 1;
      tracked.successes = 0;
    }
    let status = state.status;
    if (status === 'pending') status = error === undefined ? 'up' : 'down';
    else if (status === 'up' && tracked.failures >= this.settings.failuresToDown) status = 'down';
    else if (status === 'down' && tracked.successes >= this.settings.successesToUp) status = 'up';
    tracked.state = {
      status,
      last_checked: this.now().toISOString(),
      latencyMs,
      ...(error !== undefined ? { error } : {}),
    };
  }
}
