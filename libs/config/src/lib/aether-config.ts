import { agentDescriptor, isAgentName, knownAgents, type AgentName } from '@aether/core';
import { z } from 'zod';

export type DeploymentMode = 'monolith' | 'distributed' | 'selective';
export type NodeEnv = 'development' | 'production' | 'test';

/** Every setting Aether reads from the environment, parsed and validated once. */
export interface AetherConfig {
  nodeEnv: NodeEnv;
  deploymentMode: DeploymentMode;
  /** Agents reached over A2A/HTTP from this process (empty in monolith). */
  remoteAgents: AgentName[];
  /** Base URL of each agent service that is configured (`*_SERVICE_URL`, `DS_*_URL`). */
  agentUrls: Partial<Record<AgentName, string>>;
  /** Bearer token agent services require on A2A calls and that clients send (`AETHER_SERVICE_TOKEN`). */
  serviceToken?: string;
  /** Gateway API keys (`AETHER_API_KEYS`, comma separated). Empty = open (refused in production). */
  apiKeys: string[];
  /** Interface services listen on (`HOST`, default 127.0.0.1; containers set 0.0.0.0). */
  host: string;
  /** Port override (`PORT`); each app has its own default. */
  port?: number;
  /** This service's externally reachable base URL for its agent card (`PUBLIC_URL`). */
  publicUrl?: string;
  ha: {
    /** `HA_URL`; unset = the bundled demo home. */
    url?: string;
    token?: string;
    /** Timeout of every HA call in ms (`HA_TIMEOUT_MS`). */
    timeoutMs: number;
    /** The bundled demo home (used when `HA_URL` is unset, and by the ha-demo app). */
    demo: {
      /** The access token it accepts (`HA_DEMO_TOKEN`, default `aether-demo-token`). */
      token: string;
      /** A house fixture (JSON file) to serve instead of the built-in house (`HA_DEMO_FIXTURE`). */
      fixture?: string;
      /** How long after a config write its entity appears, as HA's reload (`HA_DEMO_CONFIG_RELOAD_MS`, demo default 200). */
      configReloadDelayMs?: number;
      /** Days of history the demo's recorder keeps (`HA_DEMO_PURGE_KEEP_DAYS`, default 10 as HA's `purge_keep_days`). */
      purgeKeepDays?: number;
      /** Whether the demo token's user is an administrator (`HA_DEMO_ADMIN`, default true). */
      admin: boolean;
      /** `core` or `supervised` (`HA_DEMO_INSTALLATION`, default core): a supervised install has no `/api/error_log`. */
      installationType: 'core' | 'supervised';
      /** The `energy/get_prefs` grid shape (`HA_DEMO_ENERGY_PREFS`): `unified` (default, the newest HA) or `legacy` (`flow_from`/`flow_to`). */
      energyPrefsShape: 'unified' | 'legacy';
    };
  };
  /**
   * Where the custom analysis runs its scripts (`AETHER_SANDBOX`: auto = gVisor's runsc, else
   * bubblewrap; runsc; bwrap; off) and the Python it runs them with (`AETHER_SANDBOX_PYTHON`,
   * default /usr/bin/python3, which needs pandas). Optional for hand-built configs (auto).
   */
  sandbox?: { runtime: 'auto' | 'runsc' | 'bwrap' | 'off'; python: string };
  llm: {
    baseUrl?: string;
    apiKey?: string;
    model?: string;
    temperature?: number;
    /** `<AGENT>_MODEL` per-agent overrides, e.g. `ARCHITECT_MODEL`, `DS_ANALYSTS_MODEL`. */
    agentModels: Partial<Record<AgentName, string>>;
    /** Whether single-tool calls (routing) force the tool with `tool_choice` (`LLM_FORCE_TOOL_CHOICE`, default true). Optional for hand-built configs. */
    forceToolChoice?: boolean;
    /** Models tried in order when the model in use keeps failing (`LLM_FALLBACK_MODELS`: `model` or `model@baseUrl`, comma-separated). */
    fallbackModels?: string[];
    /** Timeouts, retries and breaker of every model call; defaults apply to what is left out. */
    calls?: Partial<LlmCallSettings>;
    /** USD per 1M tokens by model (`LLM_PRICES`), for `cost_usd` in `GET /api/v1/usage`; no costs without it. */
    prices?: Record<string, ModelPrice>;
  };
  /** Interval of SSE comment heartbeats during silent work (`AETHER_HEARTBEAT_MS`, default 10 000). */
  heartbeatMs: number;
  /** How calls between agents are bounded, retried and broken (see `AgentCallPolicy` in `@aether/a2a`). */
  agentCalls: AgentCallSettings;
  /** Background probes behind `/ready` and the gateway's health report. */
  health: HealthProbeSettings;
  /** Max request body in bytes (1 MiB). */
  bodyLimitBytes: number;
  /** Timeouts of every service's HTTP server and how it stops (see `configureHttpServer` in `@aether/service-host`). */
  server: ServerSettings;
  /**
   * What a 503 for a transient outage (an agent, Home Assistant or the database) tells clients to
   * wait before retrying (`AETHER_RETRY_AFTER_MS`, default 1 000): `Retry-After` in whole seconds and
   * OpenAI's `retry-after-ms`, which the openai SDKs prefer.
   */
  retryAfterMs: number;
  /** Browser origins allowed to call the gateway (`AETHER_CORS_ORIGINS`, comma list; none by default). */
  corsOrigins: string[];
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** `LOG_FORMAT`: JSON lines, or pretty text; unset → pretty on a terminal, JSON otherwise (files, containers). */
  logFormat?: 'json' | 'pretty';
  /** A2A task retention: finished tasks are deleted once older than this. */
  taskRetention: {
    /** `AETHER_TASK_RETENTION_HOURS` (default 72): age after which completed/failed/canceled/rejected tasks go. */
    maxAgeHours: number;
    /**
     * `AETHER_TASK_MEMORY_MB` (default 8): size (as JSON) of the finished tasks an agent keeping its
     * tasks in memory holds at most; the oldest go first. Database-backed agents keep theirs in the database.
     */
    maxMemoryMb: number;
  };
  /** How much of a conversation is sent to the agents (storage keeps everything). */
  prompt: {
    /** `AETHER_PROMPT_MAX_TURNS` (default 40): earlier turns beyond this are left out of the agent request. */
    maxTurns: number;
    /** `AETHER_PROMPT_MAX_CHARS` (default 48 000): characters of history at most, newest turns kept first. */
    maxChars: number;
  };
  /**
   * Limits on one chat-completions request, refused with a 400 naming the field. Generous: clients
   * such as Open WebUI resend the whole conversation on every turn.
   */
  requestLimits: {
    /** `AETHER_MAX_MESSAGES` (default 10 000): messages in one request (a long chat resent whole is thousands). */
    maxMessages: number;
    /** `AETHER_MAX_MESSAGE_CHARS` (default 256 000): characters (UTF-16 units) of one message's content. */
    maxMessageChars: number;
    /** `AETHER_MAX_REQUEST_CHARS` (default 1 000 000): characters of all messages' content together. */
    maxTotalChars: number;
    /** `AETHER_MAX_USER_CHARS` (default 256): length of the OpenAI `user` field. */
    maxUserChars: number;
  };
  /** Gateway API keys: database lookups and the default per-key limits. */
  apiKeyLimits: {
    /** `AETHER_RATE_LIMIT_PER_MINUTE` (default 600; 0 = none): requests per key per minute, unless the key sets its own. */
    requestsPerMinute: number;
    /** `AETHER_MAX_CONCURRENT_REQUESTS` (default 32; 0 = none): requests of one key in flight at once. */
    maxConcurrent: number;
    /** `AETHER_API_KEY_CACHE_MS` (default 5 000): how long a key looked up in the database is trusted (a revoke takes effect within it). */
    cacheMs: number;
  };
  database: {
    /** `DATABASE_URL` (postgres:// or postgresql://); unset = embedded PGlite under `dataDir`. */
    url?: string;
    /** `DATABASE_SCHEMA` (default `public`): lets tests and several stacks share one server. */
    schema: string;
    /** `AETHER_DATA_DIR` (default `.aether`): where embedded state (PGlite) lives. */
    dataDir: string;
  };
}

export interface AgentCallSettings {
  /** Time a TCP connection to an agent service may take (`AETHER_AGENT_CONNECT_TIMEOUT_MS`, default 3 000). */
  connectTimeoutMs: number;
  /**
   * Time an agent service may send nothing (no event, no SSE heartbeat) while its task runs
   * (`AETHER_AGENT_IDLE_TIMEOUT_MS`, default 30 000; must exceed `AETHER_HEARTBEAT_MS`).
   */
  idleTimeoutMs: number;
  /** `<AGENT>_IDLE_TIMEOUT_MS` per-agent overrides, e.g. `DS_ANALYSTS_IDLE_TIMEOUT_MS`. */
  agentIdleTimeoutMs: Partial<Record<AgentName, number>>;
  /** The overall budget the gateway gives a chat request, honoured on every hop (`AETHER_REQUEST_DEADLINE_MS`, default 300 000). */
  requestDeadlineMs: number;
  /** Base delay before the one retry of a call that failed before its first event (`AETHER_AGENT_RETRY_BACKOFF_MS`, default 100). */
  retryBackoffMs: number;
  /** Consecutive transport failures that open an agent's circuit breaker (`AETHER_AGENT_BREAKER_FAILURES`, default 5). */
  breakerFailures: number;
  /** Time an open breaker fails fast before letting one call test the agent (`AETHER_AGENT_BREAKER_HALF_OPEN_MS`, default 10 000). */
  breakerHalfOpenAfterMs: number;
}

export interface HealthProbeSettings {
  /** Time between two probes of each dependency (`AETHER_HEALTH_INTERVAL_MS`, default 5 000). */
  intervalMs: number;
  /** Time one probe may take before it counts as failed (`AETHER_HEALTH_TIMEOUT_MS`, default 3 000; below the interval). */
  timeoutMs: number;
  /** Consecutive failed probes before a dependency that was up counts as down (`AETHER_HEALTH_FAILURES_TO_DOWN`, default 3). */
  failuresToDown: number;
  /** Consecutive successful probes before a dependency that was down counts as up (`AETHER_HEALTH_SUCCESSES_TO_UP`, default 1). */
  successesToUp: number;
}

export interface ServerSettings {
  /** Time a client may take to send a request's headers (`AETHER_HEADERS_TIMEOUT_MS`, default 20 000). */
  headersTimeoutMs: number;
  /** Time a client may take to send a whole request, body included (`AETHER_REQUEST_TIMEOUT_MS`, default 60 000); responses, streams too, are not bounded by it. */
  requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open (`AETHER_KEEP_ALIVE_TIMEOUT_MS`, default 65 000). */
  keepAliveTimeoutMs: number;
  /** Time in-flight requests and streams get to finish after SIGTERM/SIGINT (`AETHER_SHUTDOWN_DRAIN_MS`, default 10 000). */
  shutdownDrainMs: number;
}

/**
 * The A2A clients' pools close idle sockets after 4 s (`node-http-fetch.ts`); a server must keep
 * them open longer, or a client may send on a socket the server is closing (ECONNRESET).
 */
const MIN_KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** How each model call is bounded, retried and broken (see `resilientFetch` in `@aether/llm`). */
export interface LlmCallSettings {
  /** Until the response headers arrive (`LLM_CONNECT_TIMEOUT_MS`, default 10 000). */
  connectTimeoutMs: number;
  /** Until the first bytes of the answer arrive (`LLM_FIRST_TOKEN_TIMEOUT_MS`, default 60 000). */
  firstTokenTimeoutMs: number;
  /** Until the whole answer has arrived, per attempt (`LLM_TIMEOUT_MS`, default 300 000). */
  timeoutMs: number;
  /** Retries of 429, 5xx and transport errors per model (`LLM_MAX_RETRIES`, default 2). */
  maxRetries: number;
  /** First back-off delay, doubled per retry with jitter, unless `Retry-After` says otherwise (`LLM_RETRY_BACKOFF_MS`, default 500). */
  retryBackoffMs: number;
  /** Consecutive failed calls (after retries) that open the breaker of a model on a provider (`LLM_BREAKER_FAILURES`, default 5). */
  breakerFailures: number;
  /** Time an open breaker waits before letting one call through (`LLM_BREAKER_HALF_OPEN_MS`, default 30 000). */
  breakerHalfOpenAfterMs: number;
  /** Token budget (estimated) the history is trimmed to after `context_length_exceeded` (`LLM_CONTEXT_TOKENS`, default 8 000). */
  contextTokens: number;
  /**
   * Output cap sent on every model call, as `max_tokens` or `max_completion_tokens`
   * (`LLM_MAX_OUTPUT_TOKENS`); unset → the model family's default (`OUTPUT_TOKENS_BY_FAMILY` in `@aether/llm`'s provider-compat).
   */
  maxOutputTokens?: number;
  /**
   * Tools sent as OpenAI strict function schemas to the `LLM_BASE_URL` server (`LLM_STRICT_TOOLS`,
   * default false: the portable subset every server accepts). Fallbacks on other servers keep the subset.
   */
  strictTools: boolean;
}

export const DEFAULT_LLM_CALL_SETTINGS: LlmCallSettings = {
  connectTimeoutMs: 10_000,
  firstTokenTimeoutMs: 60_000,
  timeoutMs: 300_000,
  maxRetries: 2,
  retryBackoffMs: 500,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 30_000,
  contextTokens: 8_000,
  strictTools: false,
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional());
const optionalInt = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional());

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DEPLOYMENT_MODE: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.toLowerCase()) : v),
    z.enum(['monolith', 'distributed', 'selective']).default('monolith'),
  ),
  REMOTE_AGENTS: optionalString,
  AETHER_SERVICE_TOKEN: optionalString,
  AETHER_API_KEYS: optionalString,
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: optionalInt(0, 65535),
  PUBLIC_URL: optionalUrl,
  HA_URL: optionalUrl,
  HA_TOKEN: optionalString,
  HA_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(30_000)),
  AETHER_SANDBOX: z.preprocess(emptyToUndefined, z.enum(['auto', 'runsc', 'bwrap', 'off']).default('auto')),
  AETHER_SANDBOX_PYTHON: z.preprocess(emptyToUndefined, z.string().trim().startsWith('/').default('/usr/bin/python3')),
  HA_DEMO_TOKEN: z.preprocess(emptyToUndefined, z.string().trim().default('aether-demo-token')),
  HA_DEMO_FIXTURE: optionalString,
  HA_DEMO_CONFIG_RELOAD_MS: optionalInt(0, 60_000),
  HA_DEMO_PURGE_KEEP_DAYS: optionalInt(1, 365),
  HA_DEMO_ADMIN: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).default('true')),
  HA_DEMO_INSTALLATION: z.preprocess(emptyToUndefined, z.enum(['core', 'supervised']).default('core')),
  HA_DEMO_ENERGY_PREFS: z.preprocess(emptyToUndefined, z.enum(['unified', 'legacy']).default('unified')),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_TEMPERATURE: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(2).optional()),
  LLM_FORCE_TOOL_CHOICE: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.trim().toLowerCase()) : v),
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).default('true'),
  ),
  LLM_STRICT_TOOLS: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.trim().toLowerCase()) : v),
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).default('false'),
  ),
  LLM_FALLBACK_MODELS: optionalString,
  LLM_PRICES: optionalString,
  LLM_CONNECT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(600_000).default(DEFAULT_LLM_CALL_SETTINGS.connectTimeoutMs)),
  LLM_FIRST_TOKEN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(3_600_000).default(DEFAULT_LLM_CALL_SETTINGS.firstTokenTimeoutMs)),
  LLM_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(3_600_000).default(DEFAULT_LLM_CALL_SETTINGS.timeoutMs)),
  LLM_MAX_RETRIES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(DEFAULT_LLM_CALL_SETTINGS.maxRetries)),
  LLM_RETRY_BACKOFF_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(60_000).default(DEFAULT_LLM_CALL_SETTINGS.retryBackoffMs)),
  LLM_BREAKER_FAILURES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000).default(DEFAULT_LLM_CALL_SETTINGS.breakerFailures)),
  LLM_BREAKER_HALF_OPEN_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(DEFAULT_LLM_CALL_SETTINGS.breakerHalfOpenAfterMs)),
  LLM_CONTEXT_TOKENS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(256).max(10_000_000).default(DEFAULT_LLM_CALL_SETTINGS.contextTokens)),
  LLM_MAX_OUTPUT_TOKENS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(16).max(1_000_000).optional()),
  AETHER_HEARTBEAT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(50).max(600_000).default(10_000)),
  AETHER_TASK_RETENTION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.01).max(24 * 365 * 10).default(72)),
  AETHER_TASK_MEMORY_MB: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(65_536).default(8)),
  AETHER_PROMPT_MAX_TURNS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10_000).default(40)),
  AETHER_PROMPT_MAX_CHARS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10_000_000).default(48_000)),
  AETHER_MAX_MESSAGES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(10_000)),
  AETHER_MAX_MESSAGE_CHARS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000_000).default(256_000)),
  AETHER_MAX_REQUEST_CHARS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000_000).default(1_000_000)),
  AETHER_MAX_USER_CHARS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(256)),
  AETHER_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(600)),
  AETHER_MAX_CONCURRENT_REQUESTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(100_000).default(32)),
  AETHER_API_KEY_CACHE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(3_600_000).default(5_000)),
  AETHER_AGENT_CONNECT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(50).max(600_000).default(3_000)),
  AETHER_AGENT_IDLE_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(30_000)),
  AETHER_REQUEST_DEADLINE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1_000).max(86_400_000).default(300_000)),
  AETHER_AGENT_RETRY_BACKOFF_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(60_000).default(100)),
  AETHER_AGENT_BREAKER_FAILURES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000).default(5)),
  AETHER_AGENT_BREAKER_HALF_OPEN_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(10_000)),
  AETHER_HEALTH_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(5_000)),
  AETHER_HEALTH_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(50).max(3_600_000).default(3_000)),
  AETHER_HEALTH_FAILURES_TO_DOWN: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000).default(3)),
  AETHER_HEALTH_SUCCESSES_TO_UP: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000).default(1)),
  AETHER_HEADERS_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(20_000)),
  AETHER_REQUEST_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
  AETHER_KEEP_ALIVE_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(MIN_KEEP_ALIVE_TIMEOUT_MS, `must be at least ${MIN_KEEP_ALIVE_TIMEOUT_MS}: the agent clients keep idle sockets 4 s and the server must outlast them`)
      .max(3_600_000)
      .default(65_000),
  ),
  AETHER_SHUTDOWN_DRAIN_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(600_000).default(10_000)),
  AETHER_RETRY_AFTER_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(60_000).default(1_000)),
  AETHER_CORS_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((list) => list.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be origins such as https://chat.example.com' })))
      .default([]),
  ),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_SCHEMA: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, _)')
      .default('public'),
  ),
  AETHER_DATA_DIR: z.preprocess(emptyToUndefined, z.string().trim().default('.aether')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  ),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
});

/** A model's price in USD per 1M tokens; `cached` (prompt tokens read from the provider's cache) defaults to `input`. */
export interface ModelPrice {
  input: number;
  output: number;
  cached?: number;
}

const usdPerMillion = z.number({ error: 'must be a number of USD per 1M tokens' }).nonnegative({ error: 'must not be negative' });
const pricesSchema = z.record(z.string().min(1), z.strictObject({ input: usdPerMillion, output: usdPerMillion, cached: usdPerMillion.optional() }));

/** `LLM_PRICES`: JSON `{"<model>": {"input": 2.5, "output": 10, "cached": 1.25}}`; malformed is a ConfigError. */
function modelPrices(raw: string | undefined): Record<string, ModelPrice> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError('LLM_PRICES', 'not JSON: write {"<model>": {"input": <USD per 1M>, "output": <USD per 1M>, "cached": <USD per 1M, optional>}}');
  }
  const parsed = pricesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError('LLM_PRICES', `${issue.path.join('.') || 'the table'}: ${issue.message}`);
  }
  return parsed.data;
}

/** `ARCHITECT_MODEL`, `DS_ORCHESTRATOR_MODEL`, … */
export function agentModelEnv(agent: AgentName): string {
  return `${agent.toUpperCase().replace(/-/g, '_')}_MODEL`;
}

/** `ARCHITECT_IDLE_TIMEOUT_MS`, `DS_ANALYSTS_IDLE_TIMEOUT_MS`, … */
export function agentIdleTimeoutEnv(agent: AgentName): string {
  return `${agent.toUpperCase().replace(/-/g, '_')}_IDLE_TIMEOUT_MS`;
}

/** The idle timeout of calls to `agent`: its own override, else the default. */
export function idleTimeoutFor(settings: AgentCallSettings, agent: AgentName): number {
  return settings.agentIdleTimeoutMs[agent] ?? settings.idleTimeoutMs;
}

/**
 * Parses the environment. Throws `ConfigError` naming the offending variable. Whether a remote
 * agent's URL is present is checked by `requireAgentUrls`, since only the process knows which
 * agents it calls.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AetherConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;

  const agentUrls: Partial<Record<AgentName, string>> = {};
  const agents = knownAgents().map((agent) => agent.name);
  for (const agent of agents) {
    const variable = agentDescriptor(agent).urlEnv;
    const raw = emptyToUndefined(env[variable]);
    if (raw === undefined) continue;
    const url = z.url({ protocol: /^https?$/ }).safeParse(raw);
    if (!url.success) throw new ConfigError(variable, `not an http(s) URL: ${String(raw)}`);
    agentUrls[agent] = url.data.replace(/\/+$/, '');
  }

  let remoteAgents: AgentName[] = [];
  if (e.DEPLOYMENT_MODE === 'distributed') {
    remoteAgents = [...agents];
  } else if (e.DEPLOYMENT_MODE === 'selective') {
    const names = (e.REMOTE_AGENTS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length === 0) {
      throw new ConfigError('REMOTE_AGENTS', 'selective mode needs a comma-separated list of agents to call remotely');
    }
    for (const name of names) {
      if (!isAgentName(name)) {
        throw new ConfigError('REMOTE_AGENTS', `unknown agent "${name}" (valid: ${agents.join(', ')})`);
      }
    }
    remoteAgents = [...new Set(names as AgentName[])];
  }

  const agentModels: Partial<Record<AgentName, string>> = {};
  for (const agent of agents) {
    const model = emptyToUndefined(env[agentModelEnv(agent)]);
    if (typeof model === 'string') agentModels[agent] = model.trim();
  }

  const idleTimeout = z.coerce.number().int().min(100).max(3_600_000);
  const agentIdleTimeoutMs: Partial<Record<AgentName, number>> = {};
  for (const agent of agents) {
    const variable = agentIdleTimeoutEnv(agent);
    const raw = emptyToUndefined(env[variable]);
    if (raw === undefined) continue;
    const parsedTimeout = idleTimeout.safeParse(raw);
    if (!parsedTimeout.success) throw new ConfigError(variable, `not a whole number of milliseconds from 100 to 3600000: ${String(raw)}`);
    agentIdleTimeoutMs[agent] = parsedTimeout.data;
  }
  // A live agent proves it is alive with SSE heartbeats; an idle timeout shorter than their
  // interval would time out every healthy agent that works silently for a while.
  for (const [variable, timeout] of [
    ['AETHER_AGENT_IDLE_TIMEOUT_MS', e.AETHER_AGENT_IDLE_TIMEOUT_MS] as const,
    ...agents.flatMap((agent) => (agentIdleTimeoutMs[agent] !== undefined ? [[agentIdleTimeoutEnv(agent), agentIdleTimeoutMs[agent]] as const] : [])),
  ]) {
    if (timeout <= e.AETHER_HEARTBEAT_MS) {
      throw new ConfigError(variable, `must exceed AETHER_HEARTBEAT_MS (${e.AETHER_HEARTBEAT_MS}), the interval at which a busy agent shows it is alive`);
    }
  }

  // A probe still running when the next one is due would be skipped, every time.
  if (e.AETHER_HEALTH_TIMEOUT_MS >= e.AETHER_HEALTH_INTERVAL_MS) {
    throw new ConfigError('AETHER_HEALTH_TIMEOUT_MS', `must be below AETHER_HEALTH_INTERVAL_MS (${e.AETHER_HEALTH_INTERVAL_MS})`);
  }
  // Node checks both from the request's first byte, so headers allowed longer than the whole request would never apply.
  if (e.AETHER_HEADERS_TIMEOUT_MS > e.AETHER_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('AETHER_HEADERS_TIMEOUT_MS', `must not exceed AETHER_REQUEST_TIMEOUT_MS (${e.AETHER_REQUEST_TIMEOUT_MS})`);
  }

  const apiKeys = (e.AETHER_API_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  return {
    nodeEnv: e.NODE_ENV,
    deploymentMode: e.DEPLOYMENT_MODE,
    remoteAgents,
    agentUrls,
    serviceToken: e.AETHER_SERVICE_TOKEN,
    apiKeys,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    sandbox: { runtime: e.AETHER_SANDBOX, python: e.AETHER_SANDBOX_PYTHON },
    ha: {
      url: e.HA_URL?.replace(/\/+$/, ''),
      token: e.HA_TOKEN,
      timeoutMs: e.HA_TIMEOUT_MS,
      demo: {
        token: e.HA_DEMO_TOKEN,
        ...(e.HA_DEMO_FIXTURE ? { fixture: e.HA_DEMO_FIXTURE } : {}),
        ...(e.HA_DEMO_CONFIG_RELOAD_MS !== undefined ? { configReloadDelayMs: e.HA_DEMO_CONFIG_RELOAD_MS } : {}),
        ...(e.HA_DEMO_PURGE_KEEP_DAYS !== undefined ? { purgeKeepDays: e.HA_DEMO_PURGE_KEEP_DAYS } : {}),
        admin: ['true', '1', 'yes', 'on'].includes(e.HA_DEMO_ADMIN),
        installationType: e.HA_DEMO_INSTALLATION,
        energyPrefsShape: e.HA_DEMO_ENERGY_PREFS,
      },
    },
    llm: {
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      model: e.LLM_MODEL,
      temperature: e.LLM_TEMPERATURE,
      agentModels,
      forceToolChoice: ['true', '1', 'yes', 'on'].includes(e.LLM_FORCE_TOOL_CHOICE),
      fallbackModels: fallbackModels(e.LLM_FALLBACK_MODELS),
      calls: {
        connectTimeoutMs: e.LLM_CONNECT_TIMEOUT_MS,
        firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
        timeoutMs: e.LLM_TIMEOUT_MS,
        maxRetries: e.LLM_MAX_RETRIES,
        retryBackoffMs: e.LLM_RETRY_BACKOFF_MS,
        breakerFailures: e.LLM_BREAKER_FAILURES,
        breakerHalfOpenAfterMs: e.LLM_BREAKER_HALF_OPEN_MS,
        contextTokens: e.LLM_CONTEXT_TOKENS,
        ...(e.LLM_MAX_OUTPUT_TOKENS === undefined ? {} : { maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS }),
        strictTools: ['true', '1', 'yes', 'on'].includes(e.LLM_STRICT_TOOLS),
      },
      prices: modelPrices(e.LLM_PRICES),
    },
    heartbeatMs: e.AETHER_HEARTBEAT_MS,
    agentCalls: {
      connectTimeoutMs: e.AETHER_AGENT_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: e.AETHER_AGENT_IDLE_TIMEOUT_MS,
      agentIdleTimeoutMs,
      requestDeadlineMs: e.AETHER_REQUEST_DEADLINE_MS,
      retryBackoffMs: e.AETHER_AGENT_RETRY_BACKOFF_MS,
      breakerFailures: e.AETHER_AGENT_BREAKER_FAILURES,
      breakerHalfOpenAfterMs: e.AETHER_AGENT_BREAKER_HALF_OPEN_MS,
    },
    health: {
      intervalMs: e.AETHER_HEALTH_INTERVAL_MS,
      timeoutMs: e.AETHER_HEALTH_TIMEOUT_MS,
      failuresToDown: e.AETHER_HEALTH_FAILURES_TO_DOWN,
      successesToUp: e.AETHER_HEALTH_SUCCESSES_TO_UP,
    },
    bodyLimitBytes: 1024 * 1024,
    server: {
      headersTimeoutMs: e.AETHER_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.AETHER_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.AETHER_KEEP_ALIVE_TIMEOUT_MS,
      shutdownDrainMs: e.AETHER_SHUTDOWN_DRAIN_MS,
    },
    retryAfterMs: e.AETHER_RETRY_AFTER_MS,
    corsOrigins: e.AETHER_CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    ...(e.LOG_FORMAT ? { logFormat: e.LOG_FORMAT } : {}),
    taskRetention: { maxAgeHours: e.AETHER_TASK_RETENTION_HOURS, maxMemoryMb: e.AETHER_TASK_MEMORY_MB },
    prompt: { maxTurns: e.AETHER_PROMPT_MAX_TURNS, maxChars: e.AETHER_PROMPT_MAX_CHARS },
    requestLimits: {
      maxMessages: e.AETHER_MAX_MESSAGES,
      maxMessageChars: e.AETHER_MAX_MESSAGE_CHARS,
      maxTotalChars: e.AETHER_MAX_REQUEST_CHARS,
      maxUserChars: e.AETHER_MAX_USER_CHARS,
    },
    apiKeyLimits: {
      requestsPerMinute: e.AETHER_RATE_LIMIT_PER_MINUTE,
      maxConcurrent: e.AETHER_MAX_CONCURRENT_REQUESTS,
      cacheMs: e.AETHER_API_KEY_CACHE_MS,
    },
    database: { url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, dataDir: e.AETHER_DATA_DIR },
  };
}

/**
 * Fails unless every agent this process calls remotely has its URL configured.
 * `self` is the agent this process serves (it is always local to itself).
 */
export function requireAgentUrls(config: AetherConfig, self?: AgentName): void {
  for (const agent of config.remoteAgents) {
    if (agent === self) continue;
    if (!config.agentUrls[agent]) {
      throw new ConfigError(
        agentDescriptor(agent).urlEnv,
        `DEPLOYMENT_MODE=${config.deploymentMode} calls the ${agent} agent remotely, so its service URL must be set`,
      );
    }
  }
}

/** True when `agent` runs in another process from the point of view of a process serving `self`. */
/** `LLM_FALLBACK_MODELS`: `model` or `model@http(s)://base/url`, comma-separated; a bad URL is a ConfigError. */
function fallbackModels(value: string | undefined): string[] {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const at = entry.indexOf('@');
    if (at === 0) throw new ConfigError('LLM_FALLBACK_MODELS', `"${entry}" names no model: write model or model@https://host/v1`);
    if (at > 0 && !z.url({ protocol: /^https?$/ }).safeParse(entry.slice(at + 1)).success) {
      throw new ConfigError('LLM_FALLBACK_MODELS', `"${entry}": the part after @ must be an http(s) base URL`);
    }
  }
  return entries;
}

export function isRemoteAgent(config: AetherConfig, agent: AgentName, self?: AgentName): boolean {
  return agent !== self && config.remoteAgents.includes(agent);
}
