/** The seven agents behind the gateway. Service names, A2A card names and DI names are these strings. */
export const AGENT_NAMES = [
  'orchestrator',
  'architect',
  'ds-orchestrator',
  'ds-analysts',
  'developer',
  'librarian',
  'dashboard-designer',
] as const;

export type AgentName = (typeof AGENT_NAMES)[number];

export function isAgentName(value: unknown): value is AgentName {
  return typeof value === 'string' && (AGENT_NAMES as readonly string[]).includes(value);
}

/** Default port of each service (DESIGN.md). The gateway is 8000. */
export const AGENT_PORTS: Record<AgentName, number> = {
  architect: 8001,
  'ds-orchestrator': 8002,
  'ds-analysts': 8003,
  developer: 8004,
  librarian: 8005,
  'dashboard-designer': 8006,
  orchestrator: 8007,
};

export const GATEWAY_PORT = 8000;

/** Environment variable that holds each agent service's base URL in distributed mode (DESIGN.md). */
export const AGENT_URL_ENV: Record<AgentName, string> = {
  orchestrator: 'ORCHESTRATOR_SERVICE_URL',
  architect: 'ARCHITECT_SERVICE_URL',
  'ds-orchestrator': 'DS_ORCHESTRATOR_URL',
  'ds-analysts': 'DS_ANALYSTS_URL',
  developer: 'DEVELOPER_SERVICE_URL',
  librarian: 'LIBRARIAN_SERVICE_URL',
  'dashboard-designer': 'DASHBOARD_DESIGNER_SERVICE_URL',
};

/** Human label used in progress lines ("Orchestrator → Architect"). */
export const AGENT_LABELS: Record<AgentName, string> = {
  orchestrator: 'Orchestrator',
  architect: 'Architect',
  'ds-orchestrator': 'DS team',
  'ds-analysts': 'DS Analysts',
  developer: 'Developer',
  librarian: 'Librarian',
  'dashboard-designer': 'Dashboard Designer',
};
