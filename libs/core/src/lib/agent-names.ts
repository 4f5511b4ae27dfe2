import { AGENT_TABLE, type AgentDescriptor } from './agent-table';

/** The agents behind the gateway (AGENT_TABLE's names). Service names, A2A card names and DI names are these strings. */
export type AgentName = (typeof AGENT_TABLE)[number]['name'];

export const AGENT_NAMES: readonly AgentName[] = AGENT_TABLE.map((agent) => agent.name);

export function isAgentName(value: unknown): value is AgentName {
  return typeof value === 'string' && (AGENT_NAMES as readonly string[]).includes(value);
}

/** The table row of one agent. */
export function agentDescriptor(name: AgentName): AgentDescriptor & { readonly name: AgentName } {
  return AGENT_TABLE.find((agent) => agent.name === name) as AgentDescriptor & { readonly name: AgentName };
}

function column<T>(pick: (agent: AgentDescriptor) => T): Record<AgentName, T> {
  return Object.fromEntries(AGENT_TABLE.map((agent) => [agent.name, pick(agent)])) as Record<AgentName, T>;
}

/** Default port of each service (docs/architecture.md). The gateway is 8000. */
export const AGENT_PORTS: Record<AgentName, number> = column((agent) => agent.port);

/** Environment variable that holds each agent service's base URL in distributed mode (docs/architecture.md). */
export const AGENT_URL_ENV: Record<AgentName, string> = column((agent) => agent.urlEnv);

/** Human label used in progress lines ("Orchestrator → Architect"). */
export const AGENT_LABELS: Record<AgentName, string> = column((agent) => agent.label);
