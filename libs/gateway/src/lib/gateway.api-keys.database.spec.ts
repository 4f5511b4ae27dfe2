import type { AgentEvent } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import { TypeOrmApiKeyStore, type ApiKeyStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import OpenAI, { AuthenticationError, RateLimitError } from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf, type AgentScript } from '../testing/scripted-agent-client';

const ENV_KEY = 'sk-from-aether-api-keys';
const ask = { model: 'aether-offline', messages: [{ role: 'user' as const, content: 'What lights are on?' }] };

class Deferred {
  resolve!: () => void;
  readonly promise = new Promise<void>((resolve) => (this.resolve = resolve));
}

/** Named API keys from the database, through the official openai SDK, on every database at hand. */
describe.each(testDatabaseKinds())('gateway API keys and limits on %s', (kind) => {
  let database: TestDatabase;
  let store: TypeOrmApiKeyStore;
  let gateway: GatewayTestApp;
  let metrics: MetricsRegistry;
  let agents: FakeAgentDirectory;
  const keys: Record<string, string> = {};

  const client = (key: string) => new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: key, maxRetries: 0 });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    store = new TypeOrmApiKeyStore(database.dataSource);
    keys.limited = (await store.create({ name: 'limited', requestsPerMinute: 3 })).key;
    keys.other = (await store.create({ name: 'other' })).key;
    keys.revoked = (await store.create({ name: 'to-revoke' })).key;
    keys.single = (await store.create({ name: 'single', maxConcurrent: 1 })).key;
    agents = new FakeAgentDirectory();
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'Two lights.' });
    metrics = new MetricsRegistry('gateway-test');
    gateway = await startGatewayApp({
      agents,
      metrics,
      apiKeys: store,
      // cacheMs 0: every request looks its key up, so a revoke shows at once (the default trusts a lookup for 5 s).
      config: { apiKeys: [ENV_KEY], apiKeyLimits: { requestsPerMinute: 100, maxConcurrent: 10, cacheMs: 0 } },
    });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.close();
  });

  it('stores keys hashed: nothing in the api_keys table contains a key', async () => {
    const rows: Record<string, unknown>[] = await database.dataSource.query(`SELECT * FROM api_keys`);
    expect(rows).toHaveLength(4);
    const table = JSON.stringify(rows);
    for (const key of Object.values(keys)) {
      expect(table).not.toContain(key);
      expect(table).not.toContain(key.slice(4, 24));
    }
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(String(row.key_hash)))).toBe(true);
  });

  it('accepts a named key, with OpenAI rate-limit headers, and records its use', async () => {
    const { data, response } = await client(keys.other).chat.completions.create(ask).withResponse();
    expect(data.choices[0].message.content).toBe('Two lights.');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|[\d.]+s|\d+m\d+s)$/);
    expect(agents.clients.orchestrator.calls.at(-1)!.request.context.userId).toBe('key:other');
    // Written behind the request, without holding it up.
    await waitFor(async () => {
      const [{ last_used_at }]: { last_used_at: unknown }[] = await database.dataSource.query(`SELECT last_used_at FROM api_keys WHERE name = 'other'`);
      return last_used_at !== null;
    });
  });

  it('answers 429 with Retry-After once a key is over its rate, and leaves other keys alone', async () => {
    const limited = client(keys.limited);
    for (let i = 0; i < 3; i++) await limited.chat.completions.create(ask);
    const refused = await limited.chat.completions.create(ask).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitError);
    const error = refused as RateLimitError;
    expect(error.status).toBe(429);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(error.headers?.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(error.message).toContain("'limited'");
    expect(error.message).not.toContain(keys.limited);

    // Another named key and an AETHER_API_KEYS key still get through.
    expect((await client(keys.other).chat.completions.create(ask)).choices[0].message.content).toBe('Two lights.');
    expect((await client(ENV_KEY).chat.completions.create(ask)).choices[0].message.content).toBe('Two lights.');
  });

  it('refuses a revoked key with 401 without a restart', async () => {
    const revokable = client(keys.revoked);
    await revokable.models.list();
    expect(await store.revoke('to-revoke')).toBe(true);
    const refused = await revokable.chat.completions.create(ask).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).message).toMatch(/revoked/);
    expect((await client(keys.other).models.list()).data.length).toBeGreaterThan(0);
  });

  it('caps concurrent requests of a key: a second one while the first streams is a 429, and the slot comes back', async () => {
    const release = new Deferred();
    const started = new Deferred();
    const blocking: AgentScript = async function* () {
      yield { type: 'token', agent: 'orchestrator', content: 'Looking… ' } satisfies AgentEvent;
      started.resolve();
      await release.promise;
      yield { type: 'token', agent: 'orchestrator', content: 'done.' } satisfies AgentEvent;
    };
    agents.clients.orchestrator.script = blocking;
    const single = client(keys.single);
    const stream = await single.chat.completions.create({ ...ask, stream: true });
    const reading = (async () => {
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    })();
    await started.promise;
    const refused = await single.chat.completions.create(ask).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).error).toMatchObject({ code: 'concurrent_requests_exceeded' });
    expect((refused as RateLimitError).headers?.get('retry-after')).toBe('1');
    // Other keys are not held up by it.
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'Two lights.' });
    expect((await client(keys.other).chat.completions.create(ask)).choices[0].message.content).toBe('Two lights.');

    release.resolve();
    expect(await reading).toBe('Looking… done.');
    // The finished stream gave its slot back (the server closes the response right after [DONE]).
    await waitFor(async () => (await metricValue('aether_api_key_requests_in_flight', { key: 'single' })) === 0);
    expect((await single.chat.completions.create(ask)).choices[0].message.content).toBe('Two lights.');
  });

  it('exposes per-key usage in Prometheus by key name, never the key', async () => {
    const text = await metrics.registry.metrics();
    expect(await metricValue('aether_api_key_requests_total', { key: 'limited', outcome: 'accepted' })).toBe(3);
    expect(await metricValue('aether_api_key_requests_total', { key: 'limited', outcome: 'rate_limited' })).toBe(1);
    expect(await metricValue('aether_api_key_requests_total', { key: 'to-revoke', outcome: 'revoked' })).toBe(1);
    expect(await metricValue('aether_api_key_requests_total', { key: 'single', outcome: 'concurrency_limited' })).toBe(1);
    expect(await metricValue('aether_api_key_requests_remaining', { key: 'limited' })).toBe(0);
    expect(await metricValue('aether_api_key_requests_per_minute_limit', { key: 'limited' })).toBe(3);
    for (const key of [...Object.values(keys), ENV_KEY]) expect(text).not.toContain(key);
  });

  async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
    const metric = await metrics.registry.getSingleMetric(name)?.get();
    return metric?.values.find((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted))?.value;
  }
});

/** Polls a condition the server reaches on its own right after the client saw the end (the response's close). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('gateway with a named-key store but no key yet', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  }, 120_000);
  afterAll(() => database?.close());

  it('is open (and not limited) until a key is created, then requires it', async () => {
    const store = new TypeOrmApiKeyStore(database.dataSource);
    const gateway = await startGatewayApp({ apiKeys: store, config: { apiKeys: [], apiKeyLimits: { requestsPerMinute: 1, maxConcurrent: 1, cacheMs: 0 } } });
    try {
      const models = () => fetch(`${gateway.origin}/v1/models`);
      for (let i = 0; i < 3; i++) expect((await models()).status).toBe(200); // anonymous: no per-key limit applies
      expect(await (await fetch(`${gateway.origin}/v1/health`)).json()).toMatchObject({ auth: { open: true } });
      const { key } = await store.create({ name: 'first' });
      expect((await models()).status).toBe(401);
      expect((await fetch(`${gateway.origin}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      expect(await (await fetch(`${gateway.origin}/v1/health`)).json()).toMatchObject({ auth: { open: false } });
    } finally {
      await gateway.close();
    }
  });
});

describe('gateway whose key database does not answer', () => {
  const down = (): Promise<never> => Promise.reject(new Error('connection refused'));
  const failingStore = { create: down, list: down, revoke: down, findByHash: down, hasActiveKeys: down, touch: down } as unknown as ApiKeyStore;

  it('answers 503 api_key_store_unavailable for an unknown key, and still lets AETHER_API_KEYS keys in', async () => {
    const gateway = await startGatewayApp({ apiKeys: failingStore, config: { apiKeys: [ENV_KEY] } });
    try {
      const unknown = await fetch(`${gateway.origin}/v1/models`, { headers: { authorization: 'Bearer aek_not-an-env-key' } });
      expect(unknown.status).toBe(503);
      expect(await unknown.json()).toMatchObject({ error: { type: 'server_error', code: 'api_key_store_unavailable' } });
      expect((await fetch(`${gateway.origin}/v1/models`, { headers: { authorization: `Bearer ${ENV_KEY}` } })).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
