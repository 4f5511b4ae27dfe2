import { CIRCUIT_STATE_VALUE, type AgentCallObserver, type TransportFailureKind } from '@aether/a2a';
import type { AgentName } from '@aether/core';
import type { MetricsRegistry } from '@aether/observability';

/**
 * Prometheus view of the calls this process makes to other agents: the state of each agent's
 * circuit breaker (`aether_agent_circuit_state{agent}`: 0 closed, 1 half-open, 2 open), how often
 * it opened, and the retries before a first event.
 */
export class AgentCallMetrics implements AgentCallObserver {
  private readonly state;
  private readonly opens;
  private readonly retries;

  constructor(metrics: MetricsRegistry) {
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
}
