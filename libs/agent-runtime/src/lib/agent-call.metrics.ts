import { CIRCUIT_STATE_VALUE, type AgentCallObserver, type TransportFailureKind } from '@aether/a2a';
import { AgentError, type AgentCallOptions, type AgentCallResult, type AgentClient, type AgentEvent, type AgentName, type AgentRequest } from '@aether/core';
import type { MetricsRegistry } from '@aether/observability';

/**
 * Prometheus view of the calls this process makes to other agents: the state of each agent's
 * circuit breaker (`aether_agent_circuit_state{agent}`: 0 closed, 1 half-open, 2 open), how often
 * it opened, the retries before a first event, and every call with its duration and outcome.
 */
export class AgentCallMetrics implements AgentCallObserver {
  private readonly state;
  private readonly opens;
  private readonly retries;
  private readonly calls;

  constructor(metrics: MetricsRegistry) {
    this.calls = metrics.histogram(
      'aether_agent_call_duration_seconds',
      'Calls this process made to agents (in-process or over A2A), by agent, transport, method and outcome, in seconds',
      ['agent', 'transport', 'method', 'outcome'],
      [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    );
    this.state = metrics.gauge('aether_agent_circuit_state', 'Circuit breaker of calls to an agent: 0 closed, 1 half-open, 2 open', ['agent']);
    this.opens = metrics.counter('aether_agent_circuit_opens_total', 'Times the circuit breaker of calls to an agent opened', ['agent']);
    this.retries = metrics.counter('aether_agent_call_retries_total', 'Calls to an agent retried after the connection failed before the first event', ['agent', 'reason']);
  }

  circuitStateChanged(agent: AgentName, state: keyof typeof CIRCUIT_STATE_VALUE): void {
    this.state.set({ agent }, CIRCUIT_STATE_VALUE[state]);
    if (state === 'open') this.opens.inc({ agent });
  }

  retried(agent: AgentName, kind: TransportFailureKind): void {
    this.retries.inc({ agent, reason: kind });
  }

  /** `client`, its calls recorded (`aether_agent_call_duration_seconds`). */
  metered(client: AgentClient, transport: 'in_process' | 'http'): AgentClient {
    return new MeteredAgentClient(client, transport, this.calls);
  }
}

/** How a call ended, as a metric label: `ok`, `cancelled`, `stopped` (its consumer stopped reading), or the `AgentError` code. */
function outcomeOf(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return 'cancelled';
  return error instanceof AgentError ? error.code : 'internal_error';
}

/**
 * An `AgentClient` that records every call it carries in `aether_agent_call_duration_seconds`
 * (a stream from its first request to its last event, or until its consumer stopped reading).
 */
export class MeteredAgentClient implements AgentClient {
  readonly agent: AgentName;

  constructor(
    private readonly inner: AgentClient,
    private readonly transport: 'in_process' | 'http',
    private readonly histogram: { observe(labels: Record<string, string>, value: number): void },
  ) {
    this.agent = inner.agent;
  }

  async *stream(request: AgentRequest, options?: AgentCallOptions): AsyncGenerator<AgentEvent> {
    const started = performance.now();
    // Still unset in `finally` when the consumer stopped reading before the end.
    let outcome = 'stopped';
    try {
      yield* this.inner.stream(request, options);
      outcome = 'ok';
    } catch (error) {
      outcome = outcomeOf(error, options?.signal);
      throw error;
    } finally {
      this.observe('stream', started, outcome);
    }
  }

  async send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await this.inner.send(request, options);
    } catch (error) {
      outcome = outcomeOf(error, options?.signal);
      throw error;
    } finally {
      this.observe('send', started, outcome);
    }
  }

  private observe(method: 'stream' | 'send', started: number, outcome: string): void {
    this.histogram.observe({ agent: this.agent, transport: this.transport, method, outcome }, (performance.now() - started) / 1000);
  }
}
