import type OpenAI from 'openai';
import { freePort, HA_DEMO_TOKEN, startApp, startDistributedStack, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { coveredHours, verifyEnergyAnswer, type ReportedEnergy } from './support/energy-figures';
import { databasesUnderTest, E2E_DATABASE_URL, stackDatabase, type E2eDatabase } from './support/database';
import { API_KEY, collectStream, openaiClient } from './support/gateway-client';

const FIRST_QUESTION = 'Analyze my energy usage for the last 48 hours';
const FOLLOW_UP = 'and yesterday?';
const THIRD_QUESTION = 'and the last week?';
const OTHER_KEY = 'e2e-other-key';

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };

interface StoredMessage {
  role: 'user' | 'assistant';
  content: string;
  agents: string[];
  model: string | null;
  usage: { prompt_tokens: number | null; completion_tokens: number | null };
  status: string;
}

/** Generous: PGlite's first start and the demo home take a while on a busy 2-core machine. */
const START_TIMEOUT_MS = 90_000;

/** A running deployment whose gateway can be restarted with the same environment (and so the same database). */
interface Deployment {
  gateway: StartedApp;
  haUrl: string;
  haToken: string;
  restartGateway(): Promise<void>;
  stop(): Promise<void>;
}

/** Two callers: the data science team's records of one are invisible to the other. */
const KEYS = { AETHER_API_KEYS: `${API_KEY},${OTHER_KEY}` };

async function startMonolith(storage: E2eDatabase): Promise<Deployment> {
  const env = { ...storage.env, ...KEYS, DEPLOYMENT_MODE: 'monolith' };
  const start = async () => startApp('gateway', { port: await freePort(), env, healthPath: '/api/v1/health', timeoutMs: START_TIMEOUT_MS });
  // The demo home is embedded in the monolith, so it moves to a new port with every start.
  const demoHomeOf = async (gateway: StartedApp): Promise<string> =>
    (await (await fetch(`${gateway.url}/api/v1/health`)).json()).defaults.homeAssistant.url;
  const gateway = await start();
  const deployment: Deployment = {
    gateway,
    haUrl: await demoHomeOf(gateway),
    haToken: HA_DEMO_TOKEN,
    async restartGateway() {
      await deployment.gateway.stop();
      deployment.gateway = await start();
      deployment.haUrl = await demoHomeOf(deployment.gateway);
    },
    stop: () => deployment.gateway.stop(),
  };
  return deployment;
}

async function startDistributed(storage: E2eDatabase): Promise<Deployment> {
  const stack = await startDistributedStack({ randomPorts: true, env: { ...storage.env, ...KEYS }, timeoutMs: START_TIMEOUT_MS });
  const deployment: Deployment = {
    gateway: stack.gateway,
    haUrl: stack.ha.url,
    haToken: stack.ha.token ?? '',
    async restartGateway() {
      await deployment.gateway.stop();
      deployment.gateway = await startApp('gateway', { port: await freePort(), env: stack.env, healthPath: '/api/v1/health', timeoutMs: START_TIMEOUT_MS });
    },
    async stop() {
      await deployment.gateway.stop();
      await stack.stop();
    },
  };
  return deployment;
}


async function storedConversation(gatewayUrl: string, id: string): Promise<{ message_count: number; title: string; messages: StoredMessage[] }> {
  const response = await fetch(`${gatewayUrl}/api/v1/conversations/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/**
 * Monolith on every database under test (PGlite always, PostgreSQL when DATABASE_URL names one).
 * Distributed on the stack database (PostgreSQL when there is one, else PGlite): eight processes
 * each initialising a PGlite directory do not start within the stack's health deadline on a
 * 2-core machine, and PGlite's restart survival is already shown by the monolith variant.
 */
const variants: Array<readonly ['monolith' | 'distributed', string, () => Promise<E2eDatabase>]> = [
  ...databasesUnderTest().map(([kind, open]) => ['monolith', kind, open] as const),
  ['distributed', E2E_DATABASE_URL ? 'PostgreSQL' : 'PGlite', stackDatabase],
];

/**
 * Conversation memory end to end, with the official openai SDK against real processes: a follow-up
 * that names only a time window is answered from the earlier turn, and the conversation outlives a
 * gateway restart.
 */
describe.each(variants)('conversation memory and the data science team (%s, %s)', (mode, _kind, openDatabase) => {
  let storage: E2eDatabase;
  let deployment: Deployment;
  let conversationId: string;
  let firstReport: ReportedEnergy;

  beforeAll(async () => {
    storage = await openDatabase();
    deployment = mode === 'monolith' ? await startMonolith(storage) : await startDistributed(storage);
  }, 4 * START_TIMEOUT_MS);
  afterAll(async () => {
    await deployment?.stop();
    await storage?.drop();
  });

  const ask = (content: string, extra: Record<string, unknown> = {}) =>
    openaiClient(deployment.gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content }],
      ...extra,
    }) as unknown as Promise<AetherCompletion>;

  it('answers the first question with an energy report for 48 hours', async () => {
    const completion = await ask(FIRST_QUESTION);
    conversationId = completion.conversation_id;
    expect(conversationId).toEqual(expect.any(String));
    firstReport = await verifyEnergyAnswer(completion.choices[0].message.content ?? '', deployment.haUrl, deployment.haToken);
    expect(coveredHours(firstReport)).toBe(48);
  }, START_TIMEOUT_MS);

  it('answers "and yesterday?" — sent alone with conversation_id — with a report for the new window, streamed', async () => {
    const stream = await openaiClient(deployment.gateway.url).chat.completions.create(
      {
        model: 'aether-offline',
        stream: true,
        messages: [{ role: 'user', content: FOLLOW_UP }],
        // Aether's extension field; the SDK passes unknown body fields through.
        ...({ conversation_id: conversationId } as object),
      },
      { headers: { 'X-Aether-Events': '1' } },
    );
    const result = await collectStream(stream);
    expect(result.finishReason).toBe('stop');
    const report = await verifyEnergyAnswer(result.content, deployment.haUrl, deployment.haToken);
    // Calendar yesterday in the home's zone: a day, 23 or 25 hours when the clocks changed.
    expect(result.content).toContain('specialist(s), yesterday)');
    expect([23, 24, 25]).toContain(coveredHours(report));
    // A new analysis was run for this question, not the first answer repeated.
    expect(result.events.some((e) => e.agent === 'ds-analysts')).toBe(true);
  }, START_TIMEOUT_MS);

  it('without the conversation, the same words alone are no energy question', async () => {
    const completion = await ask(FOLLOW_UP);
    expect(completion.conversation_id).not.toBe(conversationId);
    expect(completion.choices[0].message.content).not.toMatch(/Window:/);
  });

  it('keeps all four messages across a gateway restart, and a third question continues the conversation', async () => {
    await deployment.restartGateway();

    const stored = await storedConversation(deployment.gateway.url, conversationId);
    expect(stored.title).toBe(FIRST_QUESTION);
    expect(stored.message_count).toBe(4);
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(stored.messages[0].content).toBe(FIRST_QUESTION);
    expect(stored.messages[2].content).toBe(FOLLOW_UP);
    for (const answer of [stored.messages[1], stored.messages[3]]) {
      expect(answer.content).toMatch(/Window:/);
      expect(answer.agents[0]).toBe('orchestrator');
      expect(answer.agents).toEqual(expect.arrayContaining(['architect', 'ds-orchestrator', 'ds-analysts']));
      expect(answer.model).toBe('aether-offline');
      expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
      expect(answer.usage.completion_tokens).toBeGreaterThan(0);
    }
    expect(stored.messages[1].content).toContain(firstReport.start);
    // The follow-up's prompt carried the recalled first turn.
    expect(stored.messages[3].usage.prompt_tokens).toBeGreaterThan((stored.messages[1].usage.prompt_tokens ?? 0) + (stored.messages[1].usage.completion_tokens ?? 0));

    const list = await (await fetch(`${deployment.gateway.url}/v1/conversations`, { headers: { Authorization: `Bearer ${API_KEY}` } })).json();
    expect(list.data.map((c: { id: string }) => c.id)).toContain(conversationId);

    const third = await ask(THIRD_QUESTION, { conversation_id: conversationId });
    expect(third.conversation_id).toBe(conversationId);
    const report = await verifyEnergyAnswer(third.choices[0].message.content ?? '', deployment.haUrl, deployment.haToken);
    // The previous calendar week in the home's zone (an hour less or more across a DST switch).
    expect(third.choices[0].message.content).toContain('specialist(s), last week)');
    expect([167, 168, 169]).toContain(coveredHours(report));
    expect((await storedConversation(deployment.gateway.url, conversationId)).message_count).toBe(6);
  }, 2 * START_TIMEOUT_MS);

  it("keeps every team run as a report and its findings as insights, across the restart, for the caller's key only", async () => {
    const api = async (path: string, key = API_KEY, method = 'GET') => {
      const response = await fetch(`${deployment.gateway.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}` } });
      return { status: response.status, body: await response.json() };
    };
    const reports = (await api(`/reports?conversation_id=${encodeURIComponent(conversationId)}`)).body.data as Array<{ id: string; question: string; insightIds: string[]; summary: string }>;
    // Newest first: the three energy questions of this conversation, as the team was asked them
    // (a follow-up completed from the earlier turn), each with the report as told.
    expect(reports.map((r) => r.question)).toEqual([expect.stringMatching(/energy usage.*last week/), expect.stringMatching(/energy usage.*yesterday/), FIRST_QUESTION]);
    expect(reports[2].summary).toContain(firstReport.start);
    const insights = (await api(`/insights?conversation_id=${encodeURIComponent(conversationId)}&specialist=energy`)).body.data as Array<{ id: string; reportId: string; status: string; title: string }>;
    expect(insights.length).toBeGreaterThan(0);
    expect(insights.map((i) => i.id)).toEqual(reports.flatMap((r) => r.insightIds));
    expect(insights.every((i) => i.status === 'new')).toBe(true);

    const dismissed = await api(`/insights/${insights[0].id}/dismiss`, API_KEY, 'POST');
    expect(dismissed).toMatchObject({ status: 200, body: { object: 'insight', id: insights[0].id, status: 'dismissed' } });
    expect((await api(`/insights?status=dismissed&conversation_id=${encodeURIComponent(conversationId)}`)).body.data.map((i: { id: string }) => i.id)).toEqual([insights[0].id]);

    // Another key sees none of them and can change none.
    expect((await api('/insights', OTHER_KEY)).body.data).toEqual([]);
    expect((await api('/reports', OTHER_KEY)).body.data).toEqual([]);
    expect((await api(`/reports/${reports[0].id}`, OTHER_KEY)).status).toBe(404);
    expect((await api(`/insights/${insights[1]?.id ?? insights[0].id}/dismiss`, OTHER_KEY, 'POST')).status).toBe(404);
  });

  it('teamwork: the analysts work in turn, the diagnostic finding cites the energy one about the same device, and the planted conflict reaches the synthesis', async () => {
    const asked = await ask("Analyze my home's energy, habits and faults over the last 7 days together");
    const answer = asked.choices[0].message.content ?? '';
    expect(answer).toContain('Strategy: teamwork (energy → behavioral → diagnostic, each seeing the earlier findings)');
    // The planted stale sensor sits on the heat pump's meter device, whose energy the energy analyst finds the top consumer.
    expect(answer).toMatch(/\*\*Heat Pump Meter Temperature has not changed for [\d.]+ h\*\* disagrees with the energy analyst's "Heat Pump Energy is the top consumer/);
    expect(answer).toContain('**Conflicts:**\n- sensor.heat_pump_energy, sensor.heat_pump_meter_temperature: diagnostic flagged concerns while energy found positive patterns');

    const api = async (path: string) => (await fetch(`${deployment.gateway.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } })).json();
    const [report] = (await api(`/reports?conversation_id=${encodeURIComponent(asked.conversation_id)}`)).data;
    expect(report).toMatchObject({ strategy: 'teamwork', depth: 'standard', specialists: [{ specialist: 'energy' }, { specialist: 'behavioral' }, { specialist: 'diagnostic' }] });
    const diagnostic = (await api(`/insights?conversation_id=${encodeURIComponent(asked.conversation_id)}&specialist=diagnostic&type=concern`)).data as Array<{ entities: string[]; crossReferences?: unknown[] }>;
    const stale = diagnostic.find((insight) => insight.entities.includes('sensor.heat_pump_meter_temperature'));
    expect(stale?.crossReferences).toEqual(expect.arrayContaining([expect.objectContaining({ specialist: 'energy', relation: 'disagrees', entities: ['sensor.heat_pump_energy'] })]));
  }, START_TIMEOUT_MS);

  it('"automate the porch light" after "What could I automate?" proposes the suggested automation in the chat; the insight is acted on', async () => {
    const asked = await ask('What could I automate?');
    const automated = await ask('Automate the porch light', { conversation_id: asked.conversation_id });
    const answer = automated.choices[0].message.content ?? '';
    const api = async (path: string) => (await fetch(`${deployment.gateway.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${API_KEY}` } })).json();
    // The porch light has two habits (on in the evening, off late at night) whose order follows how
    // often each happened in the window: the team's first porch-light suggestion is the one proposed.
    const porch = ((await api(`/insights?conversation_id=${encodeURIComponent(asked.conversation_id)}&specialist=behavioral`)).data as Array<{ entities: string[]; status: string; automationSuggestion?: { alias: string } }>).filter(
      (insight) => insight.entities.includes('light.porch') && insight.automationSuggestion,
    );
    expect(porch.length).toBeGreaterThan(0);
    expect(answer).toContain(`**Proposal: ${porch[0].automationSuggestion!.alias}**`);
    expect(answer).toContain('"entity_id": "light.porch"');
    expect(answer).toMatch(/Reply \*approve\* to deploy it/);
    expect(porch[0].status).toBe('acted_on');
    const [proposal] = (await api(`/proposals?status=proposed&conversation_id=${encodeURIComponent(asked.conversation_id)}`)).data;
    expect(proposal).toMatchObject({ kind: 'automation', status: 'proposed' });
    expect((await ask('reject', { conversation_id: asked.conversation_id })).choices[0].message.content).toMatch(/^Rejected/);
  }, START_TIMEOUT_MS);

  it("turns the behavioral analyst's porch-light habit into a proposal that deploys only once approved", async () => {
    const api = async (path: string, method = 'GET') => {
      const response = await fetch(`${deployment.gateway.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${API_KEY}` } });
      return { status: response.status, body: await response.json() };
    };
    const automationInHa = async (id: string) =>
      (await fetch(`${deployment.haUrl}/api/config/automation/config/${id}`, { headers: { Authorization: `Bearer ${deployment.haToken}` } })).status;

    const asked = await ask('What could I automate?');
    const habits = (await api(`/insights?conversation_id=${encodeURIComponent(asked.conversation_id)}&specialist=behavioral&type=recommendation`)).body.data as Array<{
      id: string;
      entities: string[];
      automationSuggestion?: { alias: string };
    }>;
    const porch = habits.find((insight) => insight.entities.includes('light.porch') && insight.automationSuggestion);
    expect(porch).toBeDefined();

    const proposed = await api(`/insights/${porch!.id}/propose`, 'POST');
    expect(proposed).toMatchObject({ status: 201, body: { object: 'proposal', kind: 'automation', status: 'proposed', conversationId: asked.conversation_id } });
    const haId = proposed.body.haId as string;
    // Proposed is not deployed: HA has no such automation until a person approves it.
    expect(await automationInHa(haId)).toBe(404);
    expect((await api(`/insights/${porch!.id}`)).body.status).toBe('acted_on');

    expect((await api(`/proposals/${proposed.body.id}/deploy`, 'POST')).body).toMatchObject({ status: 'deployed' });
    expect(await automationInHa(haId)).toBe(200);
    expect((await api(`/proposals/${proposed.body.id}/rollback`, 'POST')).body).toMatchObject({ status: 'rolled_back' });
    expect(await automationInHa(haId)).toBe(404);
  }, START_TIMEOUT_MS);
});
