import type { AgentName } from '@aether/core';
import type { MetricsRegistry } from '@aether/observability';

/** What the executor tells about the runs of this process's agents. */
export interface AgentRunObserver {
  /** A task of `agent` ended: `ok`, `input_required`, `cancelled`, or the error code. */
  runFinished(agent: AgentName, seconds: number, outcome: string): void;
  /** A tool the agent itself ran finished (`error` when its result reports one). */
  toolCalled(agent: AgentName, tool: string, outcome: 'ok' | 'error'): void;
}

/**
 * Prometheus view of the agents this process runs, whichever transport brought the task:
 * `aether_agent_run_duration_seconds{agent, outcome}` and `aether_tool_calls_total{agent, tool, outcome}`.
 */
export class AgentRunMetrics implements AgentRunObserver {
  private readonly runs;
  private readonly tools;

  constructor(metrics: MetricsRegistry) {
    this.runs = metrics.histogram('aether_agent_run_duration_seconds', 'Agent tasks run in this process, by agent and outcome, in seconds', ['agent', 'outcome'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]);
    this.tools = metrics.counter('aether_tool_calls_total', 'Tool calls made by the agents of this process, by agent, tool and outcome', ['agent', 'tool', 'outcome']);
  }

  runFinished(agent: AgentName, seconds: number, outcome: string): void {
    this.runs.observe({ agent, outcome }, seconds);
  }

  toolCalled(agent: AgentName, tool: string, outcome: 'ok' | 'error'): void {
    this.tools.inc({ agent, tool, outcome });
  }
}
