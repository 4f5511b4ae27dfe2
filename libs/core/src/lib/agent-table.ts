// The agents behind the gateway, one row each: the single source for the service host (what a
// process loads and checks), tools/start-distributed, health checks and the docs. Adding an agent
// means one row here and one library that declares it with `@AetherAgent` (the service host's
// loader map then asks for its module by type).
//
// Erasable TypeScript only (no enums, no imports): Node runs this file as is, so the plain-JS
// tools (tools/start-distributed) read the same rows the apps are built from.

/** What a process needs to know about an agent without loading its code. */
export interface AgentDescriptor {
  /** Service name, A2A card name, DI name and `agent` request value. */
  readonly name: string;
  /** Human label used in progress lines ("Orchestrator → Architect"). */
  readonly label: string;
  /** Default port of its service. */
  readonly port: number;
  /** Environment variable holding its service's base URL in distributed mode. */
  readonly urlEnv: string;
  /** Its domain code talks to Home Assistant: its service is not ready without it. */
  readonly homeAssistant: boolean;
  /** It asks a chat model: its process loads the LLM factory (and LangChain). */
  readonly llm: boolean;
  /**
   * It keeps durable data (its A2A tasks outlive a request, or it owns a store): its process opens
   * the database. An agent without it keeps its tasks in memory.
   */
  readonly database: boolean;
  /** The agents it calls: its process gets a client for each, and no other. */
  readonly calls: readonly string[];
  /** The one agent it cannot work without: its service is not ready while that one is down. */
  readonly requires?: string;
}

export const AGENT_TABLE = [
  {
    name: 'orchestrator',
    label: 'Orchestrator',
    port: 8007,
    urlEnv: 'ORCHESTRATOR_SERVICE_URL',
    homeAssistant: false,
    llm: true,
    // A router: its task lives exactly as long as the gateway's request, which stores the turn.
    database: false,
    calls: ['architect', 'librarian', 'dashboard-designer'],
    requires: 'architect',
  },
  {
    name: 'architect',
    label: 'Architect',
    port: 8001,
    urlEnv: 'ARCHITECT_SERVICE_URL',
    homeAssistant: false,
    llm: true,
    // A chat turn lives as long as the request that streams it; the gateway stores the turn.
    database: false,
    calls: ['ds-orchestrator', 'librarian'],
    requires: 'ds-orchestrator',
  },
  {
    name: 'ds-orchestrator',
    label: 'DS team',
    port: 8002,
    urlEnv: 'DS_ORCHESTRATOR_URL',
    homeAssistant: false,
    llm: false,
    // Team analyses run long: a caller may come back for the task (GetTask, resubscribe).
    database: true,
    calls: ['ds-analysts'],
    requires: 'ds-analysts',
  },
  {
    name: 'ds-analysts',
    label: 'DS Analysts',
    port: 8003,
    urlEnv: 'DS_ANALYSTS_URL',
    homeAssistant: true,
    llm: false,
    // Analyses run long: a caller may come back for the task (GetTask, resubscribe).
    database: true,
    calls: [],
  },
  {
    name: 'developer',
    label: 'Developer',
    port: 8004,
    urlEnv: 'DEVELOPER_SERVICE_URL',
    homeAssistant: false,
    llm: false,
    // Not built yet: nothing to keep until it stores proposals.
    database: false,
    calls: [],
  },
  {
    name: 'librarian',
    label: 'Librarian',
    port: 8005,
    urlEnv: 'LIBRARIAN_SERVICE_URL',
    homeAssistant: true,
    llm: false,
    // Owns the catalog.
    database: true,
    calls: [],
  },
  {
    name: 'dashboard-designer',
    label: 'Dashboard Designer',
    port: 8006,
    urlEnv: 'DASHBOARD_DESIGNER_SERVICE_URL',
    homeAssistant: false,
    llm: false,
    database: false,
    calls: [],
  },
] as const satisfies readonly AgentDescriptor[];

/** The gateway's port (the OpenAI-compatible API). */
export const GATEWAY_PORT = 8000;
