import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import { AgentError, type AgentName } from '@aether/core';

/** What happened to a call on the wire. */
export type TransportFailureKind = 'unreachable' | 'reset' | 'timeout';

/**
 * A failure of the connection to an agent (not of the agent's work): it could not be reached, the
 * connection broke, or the agent went silent. Only these count against the circuit breaker, and
 * only `unreachable`/`reset` before the first event are retried.
 */
export class TransportFailure extends Error {
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransportFailure';
  }
}

/** Breaker state as a number, for the `aether_agent_circuit_state` gauge. */
export const CIRCUIT_STATE_VALUE: Record<'closed' | 'half_open' | 'open', number> = { closed: 0, half_open: 1, open: 2 };

/** Told of every breaker state change of every agent client (wired to Prometheus by the agent runtime). */
export interface AgentCallObserver {
  circuitStateChanged(agent: AgentName, state: keyof typeof CIRCUIT_STATE_VALUE): void;
  retried(agent: AgentName, kind: TransportFailureKind): void;
}

export interface AgentCallPolicyOptions {
  agent: AgentName;
  /** Base delay of the one retry (exponential backoff with jitter from there). */
  retryBackoffMs: number;
  /** Consecutive transport failures that open the breaker. */
  breakerFailures: number;
  /** Time an open breaker fails fast before one call may test the agent again. */
  breakerHalfOpenAfterMs: number;
  observer?: AgentCallObserver;
}

/**
 * Retry and circuit breaker of calls to one agent service, from cockatiel. Wrapped around the part
 * of a call that runs until the callee's first event:
 * - **retry once**, with backoff, when the connection failed (`unreachable`/`reset`) before that
 *   event — safe because the retried message keeps its `messageId` and the serving side runs one
 *   message id at most once;
 * - **circuit breaker**: after `breakerFailures` consecutive transport failures the agent is
 *   skipped at once (`agent_unavailable`, "circuit open") for `breakerHalfOpenAfterMs`, then one
 *   call tests it (half-open) and closes the breaker on success.
 * After the first event nothing is retried: the callee has started the work.
 */
export class AgentCallPolicy {
  readonly breaker: CircuitBreakerPolicy;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: AgentCallPolicyOptions) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof TransportFailure),
      { halfOpenAfter: options.breakerHalfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakerFailures) },
    );
    this.retry = retry(
      handleWhen((error) => error instanceof TransportFailure && error.kind !== 'timeout'),
      { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: Math.max(options.retryBackoffMs, 1), maxDelay: Math.max(options.retryBackoffMs, 1) * 4 }) },
    );
    const observer = options.observer;
    if (observer) {
      this.breaker.onStateChange((state) => observer.circuitStateChanged(options.agent, circuitStateName(state)));
      this.retry.onRetry((event) => {
        if ('error' in event && event.error instanceof TransportFailure) observer.retried(options.agent, event.error.kind);
      });
      observer.circuitStateChanged(options.agent, 'closed');
    }
  }

  /**
   * Runs `attempt` (open the call and wait for its first event) under the breaker and the retry.
   * `attempt` gets the attempt number (0, then 1 for the retry). Throws `AgentError` when the
   * breaker is open; otherwise what the last attempt threw.
   */
  async untilFirstEvent<T>(attempt: (attemptNo: number) => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      return await this.breaker.execute(() => this.retry.execute(({ attempt: attemptNo }) => attempt(attemptNo), signal), signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new AgentError(
          'agent_unavailable',
          `The ${this.options.agent} agent is unreachable: its circuit breaker is open after repeated failures (next test in at most ${this.options.breakerHalfOpenAfterMs} ms)`,
          this.options.agent,
        );
      }
      throw error;
    }
  }

  /** A transport failure after the first event: not retried, but it counts against the breaker. */
  recordFailureAfterStart(failure: TransportFailure): void {
    // The breaker only learns outcomes through `execute`; a settled promise records this one.
    void this.breaker.execute(() => Promise.reject(failure)).catch(() => undefined);
  }
}

function circuitStateName(state: CircuitState): keyof typeof CIRCUIT_STATE_VALUE {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half_open';
    default:
      return 'open';
  }
}
