import { ConfigError, DEFAULT_LLM_CALL_SETTINGS, idleTimeoutFor, isRemoteAgent, loadConfig, requireAgentUrls } from './aether-config';

describe('loadConfig', () => {
  it('defaults to an open monolith with embedded defaults', () => {
    const config = loadConfig({});
    expect(config.deploymentMode).toBe('monolith');
    expect(config.remoteAgents).toEqual([]);
    expect(config.apiKeys).toEqual([]);
    expect(config.ha.url).toBeUndefined();
    expect(config.llm.baseUrl).toBeUndefined();
    expect(config.heartbeatMs).toBe(10_000);
    expect(config.host).toBe('127.0.0.1');
  });

  it('reads AETHER_CORS_ORIGINS as a list of origins, none by default, and refuses what is not one', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ AETHER_CORS_ORIGINS: 'https://chat.example.com/, http://localhost:3000' }).corsOrigins).toEqual([
      'https://chat.example.com',
      'http://localhost:3000',
    ]);
    expect(() => loadConfig({ AETHER_CORS_ORIGINS: 'chat.example.com' })).toThrow(/AETHER_CORS_ORIGINS/);
    expect(loadConfig({ AETHER_RETRY_AFTER_MS: '2500' }).retryAfterMs).toBe(2500);
  });

  it('makes every agent remote in distributed mode and reads their URLs', () => {
    const config = loadConfig({ DEPLOYMENT_MODE: 'distributed', DS_ANALYSTS_URL: 'http://ds-analysts:8000/' });
    expect(config.remoteAgents).toHaveLength(7);
    expect(config.agentUrls['ds-analysts']).toBe('http://ds-analysts:8000');
  });

  it('names the missing URL variable when a remote agent has none', () => {
    const config = loadConfig({ DEPLOYMENT_MODE: 'distributed', ARCHITECT_SERVICE_URL: 'http://a:1' });
    expect(() => requireAgentUrls(config, 'architect')).toThrow(/ORCHESTRATOR_SERVICE_URL/);
  });

  it('keeps only the listed agents remote in selective mode', () => {
    const config = loadConfig({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'architect, ds-analysts' });
    expect(config.remoteAgents).toEqual(['architect', 'ds-analysts']);
    expect(isRemoteAgent(config, 'architect')).toBe(true);
    expect(isRemoteAgent(config, 'architect', 'architect')).toBe(false);
    expect(isRemoteAgent(config, 'librarian')).toBe(false);
  });

  it('rejects an unknown agent in REMOTE_AGENTS, naming the variable', () => {
    expect(() => loadConfig({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'knowledge' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'knowledge' })).toThrow(/REMOTE_AGENTS: unknown agent "knowledge"/);
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => loadConfig({ DEPLOYMENT_MODE: 'cluster' })).toThrow(/^DEPLOYMENT_MODE:/);
    expect(() => loadConfig({ HA_URL: 'not a url' })).toThrow(/^HA_URL:/);
    expect(() => loadConfig({ DS_ORCHESTRATOR_URL: 'ftp://x' })).toThrow(/^DS_ORCHESTRATOR_URL:/);
  });

  it('reads API keys and per-agent model overrides', () => {
    const config = loadConfig({ AETHER_API_KEYS: 'a, b,,', ARCHITECT_MODEL: 'gpt-x', DS_ANALYSTS_MODEL: 'small' });
    expect(config.apiKeys).toEqual(['a', 'b']);
    expect(config.llm.agentModels).toEqual({ architect: 'gpt-x', 'ds-analysts': 'small' });
  });

  it('bounds model calls: defaults, overrides, fallback models and tool_choice, and validation naming the variable', () => {
    const defaults = loadConfig({}).llm;
    expect(defaults.calls).toEqual(DEFAULT_LLM_CALL_SETTINGS);
    // Unset, the cap is the model family's (see OUTPUT_TOKENS_BY_FAMILY in @aether/llm).
    expect(defaults.calls).not.toHaveProperty('maxOutputTokens');
    expect(defaults.fallbackModels).toEqual([]);
    expect(defaults.forceToolChoice).toBe(true);
    const llm = loadConfig({
      LLM_TIMEOUT_MS: '1000',
      LLM_FIRST_TOKEN_TIMEOUT_MS: '500',
      LLM_CONNECT_TIMEOUT_MS: '200',
      LLM_MAX_RETRIES: '0',
      LLM_RETRY_BACKOFF_MS: '10',
      LLM_BREAKER_FAILURES: '3',
      LLM_BREAKER_HALF_OPEN_MS: '1000',
      LLM_CONTEXT_TOKENS: '4096',
      LLM_MAX_OUTPUT_TOKENS: '1024',
      LLM_FALLBACK_MODELS: 'gpt-4o-mini, llama3.1@http://127.0.0.1:11434/v1,',
      LLM_FORCE_TOOL_CHOICE: 'False',
      LLM_STRICT_TOOLS: 'true',
    }).llm;
    expect(llm.calls).toEqual({ timeoutMs: 1000, firstTokenTimeoutMs: 500, connectTimeoutMs: 200, maxRetries: 0, retryBackoffMs: 10, breakerFailures: 3, breakerHalfOpenAfterMs: 1000, contextTokens: 4096, maxOutputTokens: 1024, strictTools: true });
    expect(llm.fallbackModels).toEqual(['gpt-4o-mini', 'llama3.1@http://127.0.0.1:11434/v1']);
    expect(llm.forceToolChoice).toBe(false);
    expect(() => loadConfig({ LLM_FIRST_TOKEN_TIMEOUT_MS: 'soon' })).toThrow(/^LLM_FIRST_TOKEN_TIMEOUT_MS:/);
    expect(() => loadConfig({ LLM_MAX_RETRIES: '-1' })).toThrow(/^LLM_MAX_RETRIES:/);
    expect(() => loadConfig({ LLM_FORCE_TOOL_CHOICE: 'maybe' })).toThrow(/^LLM_FORCE_TOOL_CHOICE:/);
    expect(() => loadConfig({ LLM_STRICT_TOOLS: 'maybe' })).toThrow(/^LLM_STRICT_TOOLS:/);
    expect(() => loadConfig({ LLM_FALLBACK_MODELS: 'm@ftp://x' })).toThrow(/^LLM_FALLBACK_MODELS:/);
    expect(() => loadConfig({ LLM_FALLBACK_MODELS: '@http://x/v1' })).toThrow(/^LLM_FALLBACK_MODELS:/);
  });

  it('reads the price table of LLM_PRICES (USD per 1M tokens), and refuses a malformed one naming the variable', () => {
    expect(loadConfig({}).llm.prices).toBeUndefined();
    expect(loadConfig({ LLM_PRICES: '{"gpt-4o": {"input": 2.5, "output": 10, "cached": 1.25}, "local": {"input": 0, "output": 0}}' }).llm.prices).toEqual({
      'gpt-4o': { input: 2.5, output: 10, cached: 1.25 },
      local: { input: 0, output: 0 },
    });
    expect(() => loadConfig({ LLM_PRICES: 'gpt-4o=2.5' })).toThrow(/^LLM_PRICES: not JSON/);
    expect(() => loadConfig({ LLM_PRICES: '{"gpt-4o": {"input": -1, "output": 10}}' })).toThrow(/^LLM_PRICES: gpt-4o\.input: must not be negative/);
    expect(() => loadConfig({ LLM_PRICES: '{"gpt-4o": {"input": 1}}' })).toThrow(/^LLM_PRICES: gpt-4o\.output/);
    expect(() => loadConfig({ LLM_PRICES: '{"gpt-4o": {"input": 1, "output": 2, "cache": 1}}' })).toThrow(/^LLM_PRICES: gpt-4o/);
  });

  it('reads the demo home settings: HA_DEMO_TOKEN (default aether-demo-token) and HA_DEMO_FIXTURE', () => {
    expect(loadConfig({}).ha.demo).toEqual({ token: 'aether-demo-token', admin: true, installationType: 'core', energyPrefsShape: 'unified' });
    expect(loadConfig({ HA_DEMO_TOKEN: 'secret', HA_DEMO_FIXTURE: ' /data/home.json ' }).ha.demo).toEqual({ token: 'secret', fixture: '/data/home.json', admin: true, installationType: 'core', energyPrefsShape: 'unified' });
    expect(loadConfig({ HA_DEMO_ADMIN: 'false', HA_DEMO_INSTALLATION: 'supervised', HA_DEMO_PURGE_KEEP_DAYS: '30', HA_DEMO_CONFIG_RELOAD_MS: '0', HA_DEMO_ENERGY_PREFS: 'legacy' }).ha.demo).toEqual({
      token: 'aether-demo-token',
      admin: false,
      installationType: 'supervised',
      energyPrefsShape: 'legacy',
      purgeKeepDays: 30,
      configReloadDelayMs: 0,
    });
    expect(() => loadConfig({ HA_DEMO_INSTALLATION: 'os' })).toThrow(/HA_DEMO_INSTALLATION/);
    expect(() => loadConfig({ HA_DEMO_ENERGY_PREFS: 'v2' })).toThrow(/HA_DEMO_ENERGY_PREFS/);
  });

  it('defaults the database to embedded PGlite under .aether in the public schema', () => {
    expect(loadConfig({}).database).toEqual({ url: undefined, schema: 'public', dataDir: '.aether' });
  });

  it('reads DATABASE_URL, DATABASE_SCHEMA and AETHER_DATA_DIR', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://aether@127.0.0.1:5432/aether',
      DATABASE_SCHEMA: 'stack_two',
      AETHER_DATA_DIR: '/var/lib/aether',
    });
    expect(config.database).toEqual({
      url: 'postgresql://aether@127.0.0.1:5432/aether',
      schema: 'stack_two',
      dataDir: '/var/lib/aether',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/test' }).database.url).toBe('postgres://postgres@127.0.0.1/test');
  });

  it('rejects a non-PostgreSQL DATABASE_URL and an unsafe DATABASE_SCHEMA, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/aether' })).toThrow(/^DATABASE_URL:/);
    expect(() => loadConfig({ DATABASE_SCHEMA: 'x; DROP TABLE y' })).toThrow(/^DATABASE_SCHEMA:/);
  });

  it('defaults the bounds: task retention 72 h and 8 MB in memory, prompt 40 turns / 48 000 chars, 600 requests a minute and 32 at once per key', () => {
    const config = loadConfig({});
    expect(config.taskRetention).toEqual({ maxAgeHours: 72, maxMemoryMb: 8 });
    expect(config.prompt).toEqual({ maxTurns: 40, maxChars: 48_000 });
    expect(config.apiKeyLimits).toEqual({ requestsPerMinute: 600, maxConcurrent: 32, cacheMs: 5_000 });
  });

  it('reads the bounds, 0 turning a per-key limit off, and rejects bad values naming the variable', () => {
    const config = loadConfig({
      AETHER_TASK_RETENTION_HOURS: '0.5',
      AETHER_PROMPT_MAX_TURNS: '10',
      AETHER_PROMPT_MAX_CHARS: '2000',
      AETHER_RATE_LIMIT_PER_MINUTE: '0',
      AETHER_MAX_CONCURRENT_REQUESTS: '4',
      AETHER_API_KEY_CACHE_MS: '0',
    });
    expect(config.taskRetention.maxAgeHours).toBe(0.5);
    expect(config.prompt).toEqual({ maxTurns: 10, maxChars: 2000 });
    expect(config.apiKeyLimits).toEqual({ requestsPerMinute: 0, maxConcurrent: 4, cacheMs: 0 });
    expect(() => loadConfig({ AETHER_TASK_RETENTION_HOURS: '0' })).toThrow(/^AETHER_TASK_RETENTION_HOURS:/);
    expect(() => loadConfig({ AETHER_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/^AETHER_RATE_LIMIT_PER_MINUTE:/);
    expect(() => loadConfig({ AETHER_MAX_CONCURRENT_REQUESTS: 'lots' })).toThrow(/^AETHER_MAX_CONCURRENT_REQUESTS:/);
    expect(() => loadConfig({ AETHER_PROMPT_MAX_TURNS: '1.5' })).toThrow(/^AETHER_PROMPT_MAX_TURNS:/);
  });

  it('limits chat requests generously by default, reads overrides and rejects bad values naming the variable', () => {
    expect(loadConfig({}).requestLimits).toEqual({ maxMessages: 10_000, maxMessageChars: 256_000, maxTotalChars: 1_000_000, maxUserChars: 256 });
    const config = loadConfig({ AETHER_MAX_MESSAGES: '50', AETHER_MAX_MESSAGE_CHARS: '4000', AETHER_MAX_REQUEST_CHARS: '20000', AETHER_MAX_USER_CHARS: '64' });
    expect(config.requestLimits).toEqual({ maxMessages: 50, maxMessageChars: 4_000, maxTotalChars: 20_000, maxUserChars: 64 });
    expect(() => loadConfig({ AETHER_MAX_MESSAGES: '0' })).toThrow(/^AETHER_MAX_MESSAGES:/);
    expect(() => loadConfig({ AETHER_MAX_MESSAGE_CHARS: 'big' })).toThrow(/^AETHER_MAX_MESSAGE_CHARS:/);
    expect(() => loadConfig({ AETHER_MAX_USER_CHARS: '1.5' })).toThrow(/^AETHER_MAX_USER_CHARS:/);
  });

  it('bounds calls between agents: defaults, per-agent idle timeouts, and validation naming the variable', () => {
    expect(loadConfig({}).agentCalls).toEqual({
      connectTimeoutMs: 3_000,
      idleTimeoutMs: 30_000,
      agentIdleTimeoutMs: {},
      requestDeadlineMs: 300_000,
      retryBackoffMs: 100,
      breakerFailures: 5,
      breakerHalfOpenAfterMs: 10_000,
    });
    const config = loadConfig({ AETHER_AGENT_IDLE_TIMEOUT_MS: '20000', DS_ANALYSTS_IDLE_TIMEOUT_MS: '90000', AETHER_REQUEST_DEADLINE_MS: '60000' });
    expect(idleTimeoutFor(config.agentCalls, 'ds-analysts')).toBe(90_000);
    expect(idleTimeoutFor(config.agentCalls, 'architect')).toBe(20_000);
    expect(config.agentCalls.requestDeadlineMs).toBe(60_000);
    expect(() => loadConfig({ ARCHITECT_IDLE_TIMEOUT_MS: 'soon' })).toThrow(/^ARCHITECT_IDLE_TIMEOUT_MS: not a whole number/);
    expect(() => loadConfig({ AETHER_AGENT_BREAKER_FAILURES: '0' })).toThrow(/^AETHER_AGENT_BREAKER_FAILURES:/);
    // An idle timeout at or below the heartbeat interval would time out every healthy agent working silently.
    expect(() => loadConfig({ AETHER_HEARTBEAT_MS: '10000', AETHER_AGENT_IDLE_TIMEOUT_MS: '5000' })).toThrow(/^AETHER_AGENT_IDLE_TIMEOUT_MS: must exceed AETHER_HEARTBEAT_MS/);
    expect(() => loadConfig({ DS_ORCHESTRATOR_IDLE_TIMEOUT_MS: '10000' })).toThrow(/^DS_ORCHESTRATOR_IDLE_TIMEOUT_MS: must exceed/);
  });

  it('probes dependencies in the background: defaults, overrides, and a timeout below the interval', () => {
    expect(loadConfig({}).health).toEqual({ intervalMs: 5_000, timeoutMs: 3_000, failuresToDown: 3, successesToUp: 1 });
    expect(
      loadConfig({ AETHER_HEALTH_INTERVAL_MS: '1000', AETHER_HEALTH_TIMEOUT_MS: '500', AETHER_HEALTH_FAILURES_TO_DOWN: '5', AETHER_HEALTH_SUCCESSES_TO_UP: '2' }).health,
    ).toEqual({ intervalMs: 1_000, timeoutMs: 500, failuresToDown: 5, successesToUp: 2 });
    expect(() => loadConfig({ AETHER_HEALTH_FAILURES_TO_DOWN: '0' })).toThrow(/^AETHER_HEALTH_FAILURES_TO_DOWN:/);
    expect(() => loadConfig({ AETHER_HEALTH_INTERVAL_MS: '2000', AETHER_HEALTH_TIMEOUT_MS: '2000' })).toThrow(/^AETHER_HEALTH_TIMEOUT_MS: must be below AETHER_HEALTH_INTERVAL_MS/);
  });
});
