import { AgentError, type AgentEvent, type AgentRequest, type AnalysisReport, type DeveloperRequestData, type DsTeamRecordRequest, type DsTeamRecordResult, type Insight } from '@aether/core';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../../testing/gateway-test-app';
import { scriptOf } from '../../testing/scripted-agent-client';

const API_KEY = 'sk-insights-key';
const OTHER_KEY = 'sk-insights-other';

function insight(id: string, userId: string): Insight & { userId: string } {
  return {
    id,
    userId,
    reportId: 'r1',
    conversationId: 'c-1',
    specialist: 'diagnostic',
    type: 'concern',
    title: 'Garage Sensor drops out every night',
    description: '02:31–04:07 on 7 of the last 7 nights.',
    confidence: 0.9,
    entities: ['sensor.garage_temperature'],
    evidence: { nights: 7 },
    status: 'new',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

const report = (userId: string): AnalysisReport & { userId: string } => ({
  id: 'r1',
  userId,
  conversationId: 'c-1',
  question: 'Why is my garage sensor unavailable?',
  window: 'the last 7 days',
  strategy: 'parallel',
  depth: 'standard',
  specialists: [{ specialist: 'diagnostic', status: 'completed', findings: 1 }],
  summary: '**Data Science Team Report** …',
  consensus: '1 specialist reported.',
  conflicts: [],
  recommendations: [],
  insightIds: ['i1'],
  artifacts: [],
  createdAt: '2026-12-01T00:00:00.000Z',
});

/** A DS orchestrator keeping records in maps, scoped by caller as the contract says. */
function dsOrchestratorScript(insights: Map<string, Insight & { userId: string }>, reports: Map<string, AnalysisReport & { userId: string }>) {
  return (request: AgentRequest) => {
    const data = request.data as unknown as DsTeamRecordRequest;
    const user = request.context.userId;
    const strip = <T extends { userId: string }>({ userId: _userId, ...rest }: T) => rest;
    const mine = <T extends { userId: string }>(map: Map<string, T>, id: string) => (map.get(id)?.userId === user ? map.get(id) : undefined);
    let outcome: DsTeamRecordResult;
    if (data.action === 'list_insights') outcome = { insights: [...insights.values()].filter((i) => i.userId === user && (!data.status || i.status === data.status)).map(strip) };
    else if (data.action === 'list_reports') outcome = { reports: [...reports.values()].filter((r) => r.userId === user).map(strip) };
    else if (data.action === 'get_report') outcome = mine(reports, data.reportId) ? { report: strip(mine(reports, data.reportId)!) } : { notFound: data.reportId };
    else if (data.action === 'get_artifact') outcome = { notFound: data.artifactId };
    else {
      const found = mine(insights, data.insightId);
      if (found && data.action === 'set_insight_status') insights.set(found.id, { ...found, status: data.status });
      outcome = found ? { insight: strip(insights.get(found.id)!) } : { notFound: data.insightId };
    }
    const events: AgentEvent[] = [{ type: 'result', agent: 'ds-orchestrator', data: outcome as unknown as Record<string, unknown> }];
    return scriptOf(...events)(request, new AbortController().signal);
  };
}

describe('insights and reports in the gateway (REST, through the DS orchestrator)', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  const insights = new Map<string, Insight & { userId: string }>();
  const reports = new Map<string, AnalysisReport & { userId: string }>();
  let alice: string;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    agents.clients['ds-orchestrator'].script = dsOrchestratorScript(insights, reports);
    gateway = await startGatewayApp({ agents, config: { apiKeys: [API_KEY, OTHER_KEY] } });
    // The caller id the gateway gives API_KEY, as the agents see it.
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    await new OpenAI({ baseURL: `${gateway.origin}/api/v1`, apiKey: API_KEY, maxRetries: 0 }).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hello' }] });
    alice = agents.clients.orchestrator.calls[0].request.context.userId;
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
  });
  beforeEach(() => {
    insights.clear();
    reports.clear();
    insights.set('i1', insight('i1', alice));
    insights.set('i2', insight('i2', 'someone-else'));
    reports.set('r1', report(alice));
  });

  const rest = async (path: string, method = 'GET', key = API_KEY) => {
    const res = await fetch(`${gateway.origin}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("lists the caller's insights and reports as the DS orchestrator keeps them, under /v1 too", async () => {
    const { userId: _a, ...mine } = insights.get('i1')!;
    expect((await rest('/insights')).body).toEqual({ object: 'list', data: [{ object: 'insight', ...mine }] });
    expect((await rest('/insights?status=new&type=concern&specialist=diagnostic&conversation_id=c-1&limit=5')).status).toBe(200);
    expect(agents.clients['ds-orchestrator'].calls.at(-1)!.request.data).toEqual({ action: 'list_insights', status: 'new', type: 'concern', specialist: 'diagnostic', conversationId: 'c-1', limit: 5 });
    expect((await rest('/reports')).body.data.map((r: AnalysisReport) => r.id)).toEqual(['r1']);
    expect((await rest('/reports/r1')).body).toMatchObject({ object: 'report', id: 'r1', insightIds: ['i1'] });
    const v1 = await fetch(`${gateway.origin}/v1/insights/i1`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(((await v1.json()) as Insight).id).toBe('i1');
    expect(agents.clients['ds-orchestrator'].calls.every((c) => c.request.context.userId === alice)).toBe(true);
  });

  it('records what a person did with an insight: acknowledged, dismissed, acted on', async () => {
    expect((await rest('/insights/i1/acknowledge', 'POST')).body).toMatchObject({ object: 'insight', status: 'acknowledged' });
    expect((await rest('/insights/i1/acted-on', 'POST')).body.status).toBe('acted_on');
    expect((await rest('/insights/i1/dismiss', 'POST')).body.status).toBe('dismissed');
    expect(insights.get('i1')!.status).toBe('dismissed');
  });

  it("answers another key's records with 404 and bad filters with 400, in the OpenAI envelope", async () => {
    for (const [path, method] of [['/insights/i1', 'GET'], ['/insights/i1/dismiss', 'POST'], ['/reports/r1', 'GET']]) {
      const { status, body } = await rest(path, method, OTHER_KEY);
      expect([path, status, body.error.type]).toEqual([path, 404, 'invalid_request_error']);
    }
    expect((await rest('/insights', 'GET', OTHER_KEY)).body.data).toEqual([]);
    expect((await rest('/insights/i2')).body.error).toMatchObject({ code: 'insight_not_found', param: 'id' });
    expect(insights.get('i1')!.status).toBe('new');
    for (const [query, param] of [['status=open', 'status'], ['type=anomaly', 'type'], ['specialist=plumber', 'specialist'], ['limit=0', 'limit']]) {
      const { status, body } = await rest(`/insights?${query}`);
      expect([query, status, body.error.param]).toEqual([query, 400, param]);
    }
  });

  it("proposes an insight's automation suggestion through the Developer, in the insight's conversation, and marks it acted on", async () => {
    const suggestion = {
      alias: 'Porch Light on at 19:06',
      description: 'Turns the porch light on at 19:06.',
      triggers: [{ trigger: 'time', at: '19:06:00' }],
      actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
    };
    insights.set('i3', { ...insight('i3', alice), specialist: 'behavioral', type: 'recommendation', automationSuggestion: suggestion });
    const drafts: AgentRequest[] = [];
    agents.clients.developer.script = (request: AgentRequest) => {
      drafts.push(request);
      const { draft } = request.data as unknown as Extract<DeveloperRequestData, { action: 'propose' }>;
      if (draft.title === 'refused') throw new AgentError('invalid_input', 'light.nowhere does not exist in Home Assistant.', 'developer');
      const proposal = { ...draft, id: 'p1', userId: request.context.userId, conversationId: request.context.conversationId, status: 'proposed', version: 1, risk: { level: 'normal', reasons: [] } };
      return scriptOf({ type: 'result', agent: 'developer', data: { proposal } })(request, new AbortController().signal);
    };

    const proposed = await rest('/insights/i3/propose', 'POST');
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ object: 'proposal', id: 'p1', kind: 'automation', status: 'proposed', haId: 'porch_light_on_at_19_06' });
    expect(drafts[0].data).toEqual({
      action: 'propose',
      draft: { kind: 'automation', title: suggestion.alias, description: suggestion.description, haId: 'porch_light_on_at_19_06', payload: { config: { id: 'porch_light_on_at_19_06', ...suggestion } } },
    });
    expect(drafts[0].context).toMatchObject({ userId: alice, conversationId: 'c-1' });
    expect(insights.get('i3')!.status).toBe('acted_on');

    // No suggestion: 409; a draft the Developer refuses: 400 with its reason, and the insight stays as it was.
    expect((await rest('/insights/i1/propose', 'POST')).body.error).toMatchObject({ code: 'insight_has_no_suggestion' });
    insights.set('i4', { ...insight('i4', alice), automationSuggestion: { ...suggestion, alias: 'refused' } });
    const refused = await rest('/insights/i4/propose', 'POST');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('light.nowhere does not exist');
    expect(insights.get('i4')!.status).toBe('new');
    expect((await rest('/insights/i3/propose', 'POST', OTHER_KEY)).status).toBe(404);
  });

  it('needs a key', async () => {
    const res = await fetch(`${gateway.origin}/api/v1/insights`);
    expect(res.status).toBe(401);
  });
});
