import type { MetricsRegistry } from '@aether/observability';
import type { ModelCallObserver, ProviderCircuitState } from './resilient-fetch';

const CIRCUIT_STATE_VALUE: Record<ProviderCircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Prometheus view of the model call layer: each provider model's breaker
 * (`aether_llm_circuit_state{provider,model}`: 0 closed, 1 half-open, 2 open) and how often it opened,
 * retries by reason, fail-overs between models, history trims, and each call's duration by agent and model.
 */
export class ModelCallMetrics implements ModelCallObserver {
  private readonly state;
  private readonly opens;
  private readonly retries;
  private readonly failovers;
  private readonly trims;
  private readonly durations;

  constructor(metrics: MetricsRegistry) {
    this.state = metrics.gauge('aether_llm_circuit_state', 'Circuit breaker of calls to a model of a provider: 0 closed, 1 half-open, 2 open', ['provider', 'model']);
    this.opens = metrics.counter('aether_llm_circuit_opens_total', 'Times the circuit breaker of calls to a model of a provider opened', ['provider', 'model']);
    this.retries = metrics.counter('aether_llm_call_retries_total', 'Model calls retried after a 429, 5xx or transport error', ['provider', 'reason']);
    this.failovers = metrics.counter('aether_llm_failovers_total', 'Model calls handed to the next LLM_FALLBACK_MODELS entry', ['from', 'to']);
    this.trims = metrics.counter('aether_llm_context_trims_total', 'Histories trimmed after context_length_exceeded', ['model']);
    this.durations = metrics.histogram(
      'aether_llm_call_duration_seconds',
      'Model calls by agent, model and outcome, from request to the last token, in seconds',
      ['agent', 'model', 'outcome'],
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    );
  }

  circuitStateChanged(provider: string, model: string, state: ProviderCircuitState): void {
    this.state.set({ provider, model }, CIRCUIT_STATE_VALUE[state]);
    if (state === 'open') this.opens.inc({ provider, model });
  }

  retried(provider: string, reason: string): void {
    this.retries.inc({ provider, reason });
  }

  failedOver(from: string, to: string): void {
    this.failovers.inc({ from, to });
  }

  callFinished(agent: string, model: string, seconds: number, outcome: 'ok' | 'error'): void {
    this.durations.observe({ agent, model, outcome }, seconds);
  }

  contextTrimmed(model: string): void {
    this.trims.inc({ model });
  }
}
