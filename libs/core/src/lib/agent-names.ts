import { AGENT_TABLE, type AgentDescriptor } from './agent-table';

/** The agents of AGENT_TABLE. Service names, A2A card names and DI names are these strings. */
export type AgentName = (typeof AGENT_TABLE)[number]['name'];

/** AGENT_TABLE's names (the built-in agents; `knownAgents()` adds any registered since). */
export const AGENT_NAMES: readonly AgentName[] = AGENT_TABLE.map((agent) => agent.name);

const rows: AgentDescriptor[] = [...AGENT_TABLE];

/**
 * Every agent this program knows, in order: AGENT_TABLE's rows, then those added with
 * `addAgentRow` (an agent whose library lives outside this repository, or a test's). What a
 * process reads at run time — URLs, clients, routing, health — comes from here.
 */
export function knownAgents(): readonly (AgentDescriptor & { readonly name: AgentName })[] {
  return rows as (AgentDescriptor & { readonly name: AgentName })[];
}

/** Adds an agent's row (before the process composes itself); names, ports and URL variables stay unique. */
export function addAgentRow(row: AgentDescriptor): void {
  const clash = rows.find((known) => known.name === row.name || known.urlEnv === row.urlEnv || (row.port !== 0 && known.port === row.port));
  if (clash) throw new Error(`The agent row ${row.name} clashes with ${clash.name} (name, port and URL variable must be unique)`);
  for (const callee of [...row.calls, ...(row.requires ? [row.requires] : [])]) {
    if (!rows.some((known) => known.name === callee)) throw new Error(`The agent row ${row.name} names an unknown agent: ${callee}`);
  }
  rows.push(row);
}

export function isAgentName(value: unknown): value is AgentName {
  return typeof value === 'string' && rows.some((agent) => agent.name === value);
}

/** The row of one agent. */
export function agentDescriptor(name: AgentName): AgentDescriptor & { readonly name: AgentName } {
  const row = rows.find((agent) => agent.name === name);
  if (!row) throw new Error(`Unknown agent: ${name}`);
  return row as AgentDescriptor & { readonly name: AgentName };
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
