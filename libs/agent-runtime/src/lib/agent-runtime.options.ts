import type { AgentName } from '@aether/core';

export interface AgentRuntimeOptions {
  /** The agent this process serves over A2A, if any (it is always local to itself). */
  self?: AgentName;
  /** The agents this process calls: it gets a client for each, and no other (default: every agent). */
  calls?: readonly AgentName[];
  /** Time a `probe()` of a remote agent's `/health` may take (default 2 000 ms). */
  probeTimeoutMs?: number;
}

export const AGENT_RUNTIME_OPTIONS = Symbol.for('aether.agent-runtime.options');
