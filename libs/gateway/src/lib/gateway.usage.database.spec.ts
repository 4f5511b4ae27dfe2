import type { AgentEvent, UsageEvent } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import { OpenAiUtilityModel } from '@aether/llm';
import { OPEN_WEBUI_TITLE, startFakeOpenAiServer, type FakeOpenAiServer } from '@aether/llm/testing';
import { TypeOrmConversationStore, TypeOrmModelUsageStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { FakeLlmProfile } from '../testing/fake-llm-profile';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-aether-usage-key';
const OTHER_KEY = 'sk-aether-other-key';

/** The provider's counts of one call, as the model factory's callback reports them. */
const call = (agent: UsageEvent['agent'], model: string, promptTokens: number, completionTokens: number, reasoningTokens: number, cachedTokens: number): UsageEvent => ({
  type: 'usage',
  agent,
  model,
  promptTokens,
  completionTokens,
  reasoningTokens,
  cachedTokens,
});

const ROUTING_CALL = call('orchestrator', 'fast-router', 300, 20, 0, 256);
const ARCHITECT_CALLS = [call('architect', 'deep-reasoner', 1200, 340, 256, 1024), call('architect', 'deep-reasoner', 1500, 60, 32, 1152)];

const answerWithUsage = (text: string): AgentEvent[] => [
  { type: 'agent_start', agent: 'orchestrator' },
  ROUTING_CALL,
  { type: 'agent_start', agent: 'architect' },
  ARCHITECT_CALLS[0],
  { type: 'token', agent: 'architect', content: text },
  ARCHITECT_CALLS[1],
];

/** Usage recorded per call by the gateway over the real TypeORM store, on every database this run can reach. */
describe.each(testDatabaseKinds())('model usage on %s', (kind) => {
  let database: TestDatabase;
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let metrics: MetricsRegistry;
  /** The provider behind utility requests (titles, tags): it reports usage like OpenAI. */
  let provider: FakeOpenAiServer;

  beforeAll(async () => {
    provider = await startFakeOpenAiServer(() => ({ text: '{"title":"Lights on"}', usage: { prompt_tokens: 410, completion_tokens: 9, cached_tokens: 128, reasoning_tokens: 0 } }));
    database = await openTestDatabase(kind);
    agents = new FakeAgentDirectory();
    metrics = new MetricsRegistry('gateway-usage-test');
    gateway = await startGatewayApp({
      agents,
      metrics,
      conversations: new TypeOrmConversationStore(database.dataSource),
      modelUsage: new TypeOrmModelUsageStore(database.dataSource),
      models: new FakeLlmProfile(['aether-offline', 'title-model']),
      utilityModel: new OpenAiUtilityModel({ provider: 'openai-compatible', baseUrl: provider.baseUrl, defaultModel: 'title-model', agentModels: {} }),
      // Priced: one model of two, so a total over both has no honest cost.
      config: { apiKeys: [API_KEY, OTHER_KEY], llm: { agentModels: {}, prices: { 'deep-reasoner': { input: 2, output: 8, cached: 0.5 } } } },
    });
  }, 120_000);
  afterAll(async () => {
    await gateway?.close();
    await database?.close();
    await provider?.close();
  });

  const openai = (key: string) => new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: key, maxRetries: 0 });
  async function usage(query: string, key = API_KEY): Promise<Response> {
    return fetch(`${gateway.origin}/api/v1/usage${query}`, { headers: { authorization: `Bearer ${key}` } });
  }

  it("records each model call's provider usage per agent and model, answers with their sums, and shows them only to the caller's key", async () => {
    agents.clients.orchestrator.script = scriptOf(...answerWithUsage('Two lights are on.'));
    const completion = await openai(API_KEY).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Which lights are on?' }] });
    expect(completion.choices[0].message.content).toBe('Two lights are on.');
    expect(completion.usage).toEqual({
      prompt_tokens: 3000,
      completion_tokens: 420,
      total_tokens: 3420,
      prompt_tokens_details: { cached_tokens: 2432 },
      completion_tokens_details: { reasoning_tokens: 288 },
    });

    const byAgent = await usage('?group_by=agent');
    expect(byAgent.status).toBe(200);
    const body = await byAgent.json();
    expect(body).toMatchObject({ object: 'usage', group_by: 'agent' });
    expect(body.data).toEqual([
      {
        group: 'architect',
        calls: 2,
        prompt_tokens: 2700,
        completion_tokens: 400,
        total_tokens: 3100,
        reasoning_tokens: 288,
        cached_tokens: 2176,
        // 524 uncached × $2 + 2176 cached × $0.5 + 400 completion × $8, per 1M tokens.
        cost_usd: 0.005336,
        models: [
          { model: 'deep-reasoner', calls: 2, prompt_tokens: 2700, completion_tokens: 400, total_tokens: 3100, reasoning_tokens: 288, cached_tokens: 2176, cost_usd: 0.005336 },
        ],
      },
      {
        group: 'orchestrator',
        calls: 1,
        prompt_tokens: 300,
        completion_tokens: 20,
        total_tokens: 320,
        reasoning_tokens: 0,
        cached_tokens: 256,
        cost_usd: null,
        models: [{ model: 'fast-router', calls: 1, prompt_tokens: 300, completion_tokens: 20, total_tokens: 320, reasoning_tokens: 0, cached_tokens: 256, cost_usd: null }],
      },
    ]);
    expect(body.total).toEqual({ calls: 3, prompt_tokens: 3000, completion_tokens: 420, total_tokens: 3420, reasoning_tokens: 288, cached_tokens: 2432, cost_usd: null });

    const byModel = await (await usage('?group_by=model')).json();
    expect(byModel.data.map((group: { group: string; prompt_tokens: number }) => [group.group, group.prompt_tokens])).toEqual([
      ['deep-reasoner', 2700],
      ['fast-router', 300],
    ]);
    const byDay = await (await usage('')).json();
    expect(byDay.group_by).toBe('day');
    expect(byDay.data).toEqual([expect.objectContaining({ group: new Date().toISOString().slice(0, 10), calls: 3, prompt_tokens: 3000 })]);
    // A window that ends before the calls holds none of them.
    expect((await (await usage('?from=2020-01-01&to=2020-01-02')).json()).data).toEqual([]);

    const other = await (await usage('?group_by=agent', OTHER_KEY)).json();
    expect(other.data).toEqual([]);
    expect(other.total).toEqual({ calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, reasoning_tokens: 0, cached_tokens: 0, cost_usd: 0 });

    const tokens = await metrics.registry.getSingleMetric('aether_llm_tokens_total')?.get();
    const count = (agent: string, model: string, kind: string) =>
      tokens?.values.find((v) => v.labels['agent'] === agent && v.labels['model'] === model && v.labels['kind'] === kind)?.value;
    expect(count('architect', 'deep-reasoner', 'prompt')).toBe(2700);
    expect(count('architect', 'deep-reasoner', 'reasoning')).toBe(288);
    expect(count('orchestrator', 'fast-router', 'cached')).toBe(256);
  });

  it('sends the summed provider usage in the stream usage chunk, and keeps the estimate for a turn without provider counts', async () => {
    agents.clients.orchestrator.script = scriptOf(...answerWithUsage('Streamed.'));
    const stream = await openai(OTHER_KEY).chat.completions.create({
      model: 'aether-offline',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Which lights are on?' }],
    });
    let streamed: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    expect(streamed).toMatchObject({ prompt_tokens: 3000, completion_tokens: 420, prompt_tokens_details: { cached_tokens: 2432 } });
    expect((await (await usage('?group_by=model', OTHER_KEY)).json()).total).toMatchObject({ calls: 3, completion_tokens: 420 });

    // The offline model reports no usage: nothing is recorded and the answer's usage is the estimate.
    agents.clients.orchestrator.script = scriptOf({ type: 'agent_start', agent: 'orchestrator' }, { type: 'token', agent: 'architect', content: 'Offline answer.' });
    const offline = await openai(OTHER_KEY).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Hi' }] });
    expect(offline.usage).not.toHaveProperty('prompt_tokens_details');
    expect((await (await usage('?group_by=model', OTHER_KEY)).json()).total).toMatchObject({ calls: 3 });
  });

  it("records a utility request's provider usage (a chat title) under agent utility, for the calling key only", async () => {
    const before = async (key: string) => ((await (await usage('?group_by=agent', key)).json()).data as Array<{ group: string }>).find((group) => group.group === 'utility');
    expect(await before(API_KEY)).toBeUndefined();
    const title = await openai(API_KEY).chat.completions.create({ model: 'title-model', messages: [{ role: 'user', content: OPEN_WEBUI_TITLE }] });
    expect(title.choices[0].message.content).toBe('{"title":"Lights on"}');
    expect(provider.requests).toHaveLength(1);

    const mine = await (await usage('?group_by=agent')).json();
    expect(mine.data.find((group: { group: string }) => group.group === 'utility')).toEqual({
      group: 'utility',
      calls: 1,
      prompt_tokens: 410,
      completion_tokens: 9,
      total_tokens: 419,
      reasoning_tokens: 0,
      cached_tokens: 128,
      cost_usd: null,
      models: [{ model: 'title-model', calls: 1, prompt_tokens: 410, completion_tokens: 9, total_tokens: 419, reasoning_tokens: 0, cached_tokens: 128, cost_usd: null }],
    });
    expect(await before(OTHER_KEY)).toBeUndefined();
  });

  it.each([
    ['?group_by=week', 'group_by'],
    ['?from=yesterday', 'from'],
    ['?from=2026-13-40', 'from'],
    ['?to=2020-01-01T00:00:00', 'to'],
    ['?from=2026-02-01&to=2026-01-01', 'from'],
    ['?group_by=day&group_by=model', 'group_by'],
  ])('rejects %s with a 400 naming the parameter', async (query, param) => {
    const response = await usage(query);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param, code: 'invalid_value' } });
  });
});
