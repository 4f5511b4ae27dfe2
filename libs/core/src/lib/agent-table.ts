// The agents behind the gateway, one row each: the single source for the service host (what a
// process loads and checks), tools/start-distributed, health checks and the docs. Adding an agent
// means one row here and one library that declares it with `@AetherAgent` (the service host's
// loader map then asks for its module by type).
//
// Erasable TypeScript only (no enums, no imports): Node runs this file as is, so the plain-JS
// tools (tools/start-distributed) read the same rows the apps are built from.

/** One thing an agent offers the person chatting, and whether this version does it yet. */
export interface AgentOffer {
  /** Completes "Aether can …" ("discover the devices …"). */
  readonly what: string;
  /** False: the agent answers `not_implemented` for it. */
  readonly available: boolean;
}

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
  /**
   * How it asks a model: `chat` — a chat model with tools, in a loop (its process loads the LLM
   * factory and LangChain); `completion` — a single direct completion now and then (the OpenAI
   * client, loaded on the first call); false — never.
   */
  readonly llm: 'chat' | 'completion' | false;
  /**
   * It keeps durable data (its A2A tasks outlive a request, or it owns a store): its process opens
   * the database. An agent without it keeps its tasks in memory.
   */
  readonly database: boolean;
  /** The agents it calls: its process gets a client for each, and no other. */
  readonly calls: readonly string[];
  /** The one agent it cannot work without: its service is not ready while that one is down. */
  readonly requires?: string;
  /**
   * What it offers the person chatting: the source of every capability list ("what can you do?",
   * the offline model's menu), so none names what this version cannot do.
   */
  readonly offers?: readonly AgentOffer[];
}

export const AGENT_TABLE = [
  {
    name: 'orchestrator',
    label: 'Orchestrator',
    port: 8007,
    urlEnv: 'ORCHESTRATOR_SERVICE_URL',
    homeAssistant: false,
    llm: 'chat',
    // A router: its task lives exactly as long as the gateway's request, which stores the turn.
    database: false,
    calls: ['architect', 'librarian', 'dashboard-designer'],
    requires: 'architect',
    offers: [],
  },
  {
    name: 'architect',
    label: 'Architect',
    port: 8001,
    urlEnv: 'ARCHITECT_SERVICE_URL',
    homeAssistant: false,
    llm: 'chat',
    // A chat turn lives as long as the request that streams it; the gateway stores the turn.
    database: false,
    calls: ['ds-orchestrator', 'librarian', 'developer'],
    requires: 'ds-orchestrator',
    offers: [
      { what: 'tell you what is on, open or locked and other current states, read live from Home Assistant', available: true },
      { what: 'list your automations and explain what one of them does', available: true },
      { what: 'design automations, scripts, scenes and one-off commands ("turn off the kitchen light") as proposals that change nothing until you approve them', available: true },
      { what: 'create helpers (toggles, numbers, lists, text, date/time) as proposals', available: true },
    ],
  },
  {
    name: 'ds-orchestrator',
    label: 'DS team',
    port: 8002,
    urlEnv: 'DS_ORCHESTRATOR_URL',
    homeAssistant: false,
    // Its synthesis in words, on request.
    llm: 'completion',
    // Team analyses run long: a caller may come back for the task (GetTask, resubscribe).
    database: true,
    calls: ['ds-analysts'],
    requires: 'ds-analysts',
    offers: [],
  },
  {
    name: 'ds-analysts',
    label: 'DS Analysts',
    port: 8003,
    urlEnv: 'DS_ANALYSTS_URL',
    homeAssistant: true,
    // The custom analysis has a model write its script when no built-in one fits.
    llm: 'completion',
    // Analyses run long: a caller may come back for the task (GetTask, resubscribe).
    database: true,
    calls: [],
    offers: [
      {
        what: "analyse your energy use from Home Assistant's history as its Energy dashboard counts it (home consumption from grid, solar and battery, kWh per device, cost, daily or monthly totals, peak hour, night baseload, top consumers; up to a year, from HA's long-term statistics where history was purged)",
        available: true,
      },
      {
        what: 'find household routines and what you could automate in the logbook (things switched by hand at about the same time, with a suggested automation; who changes your devices; device usage; up to 30 days)',
        available: true,
      },
      {
        what: 'diagnose unavailable devices and failing integrations (when outages recur, what they share, error-log lines, stale sensors, low batteries, config-check errors; "why is X unavailable?"; a week by default)',
        available: true,
      },
      {
        what: 'run an analysis script in a sandbox for what the others do not cover ("does the heat pump run more on cold days?")',
        available: true,
      },
    ],
  },
  {
    name: 'developer',
    label: 'Developer',
    port: 8004,
    urlEnv: 'DEVELOPER_SERVICE_URL',
    homeAssistant: true,
    llm: false,
    // Owns the proposals: they wait for a person's approval across restarts.
    database: true,
    calls: [],
    offers: [{ what: 'deploy an approved proposal to Home Assistant, and roll it back', available: true }],
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
    offers: [{ what: 'discover the devices, entities, areas and automations of your home and list them ("what devices do I have in the kitchen?")', available: true }],
  },
  {
    name: 'dashboard-designer',
    label: 'Dashboard Designer',
    port: 8006,
    urlEnv: 'DASHBOARD_DESIGNER_SERVICE_URL',
    // Reads the home's energy prefs for energy dashboards; it writes nothing (the Developer deploys).
    homeAssistant: true,
    llm: false,
    database: false,
    calls: ['librarian', 'developer'],
    offers: [{ what: 'design Home Assistant dashboards (an area, energy, security, climate) as proposals that change nothing until you approve them', available: true }],
  },
] as const satisfies readonly AgentDescriptor[];

/** The gateway's port (the OpenAI-compatible API). */
export const GATEWAY_PORT = 8000;
