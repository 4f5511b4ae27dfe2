import { crossReference, readPriorFindings, type AgentEvent, type AgentRequest, type Finding } from '@aether/core';
import { TypeOrmInsightStore } from '@aether/persistence';
import { openTestDatabase, type TestDatabase } from '@aether/persistence/testing';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';
import { ScriptedAnalysts, type AnalystScript } from './testing/scripted-analysts';

const heatPumpTop: Finding = {
  specialist: 'energy',
  type: 'insight',
  title: 'Heat Pump is the top consumer at 48 % of total',
  description: '131 kWh of 277 kWh.',
  confidence: 0.9,
  entities: ['sensor.heat_pump_energy'],
  evidence: { share: 0.48 },
  devices: ['dev-heat-pump'],
};
const heatPumpStale: Finding = {
  specialist: 'diagnostic',
  type: 'concern',
  title: 'Heat Pump Flow Temperature has not changed for 2 days',
  description: 'It normally changes every few minutes.',
  confidence: 0.85,
  entities: ['sensor.heat_pump_flow_temperature'],
  evidence: { hoursSinceChange: 48 },
  devices: ['dev-heat-pump'],
};
const porchHabit: Finding = {
  specialist: 'behavioral',
  type: 'recommendation',
  title: 'Porch Light is switched on by hand around 19:06',
  description: 'On 23 of 30 evenings.',
  confidence: 0.77,
  entities: ['light.porch'],
  evidence: { days: 23 },
};

/**
 * An analyst as the ds-analysts service behaves: it reports its findings, citing the earlier ones
 * it was given (the service's own rule, `crossReference`), and remembers when it ran.
 */
function analyst(specialist: string, findings: Finding[], order: string[]): AnalystScript {
  return async function* (request: AgentRequest) {
    order.push(specialist);
    const prior = readPriorFindings(request.data, 'ds-analysts') ?? [];
    yield { type: 'token', agent: 'ds-analysts', content: `${specialist} report\n` };
    yield { type: 'result', agent: 'ds-analysts', data: { specialist, findings: crossReference(findings, prior) } };
  };
}

describe('DsOrchestratorAgent strategies: parallel, teamwork, discussion round', () => {
  const signal = new AbortController().signal;
  let db: TestDatabase;
  let records: TypeOrmInsightStore;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    records = new TypeOrmInsightStore(db.dataSource);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  const run = async (data: Record<string, unknown>) => {
    const order: string[] = [];
    const analysts = new ScriptedAnalysts({
      energy: analyst('energy', [heatPumpTop], order),
      behavioral: analyst('behavioral', [porchHabit], order),
      diagnostic: analyst('diagnostic', [heatPumpStale], order),
    });
    const events: AgentEvent[] = [];
    const request: AgentRequest = { message: 'How is my home doing?', history: [], data, context: { conversationId: 'c-team', userId: 'alice' } };
    for await (const event of new DsOrchestratorAgent(analysts, records).run(request, signal)) events.push(event);
    const text = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
    const result = events.at(-1) as unknown as { type: 'result'; data: { reportId: string; synthesis: { conflicts: string[] } } };
    return { analysts, order, events, text, result };
  };

  it("teamwork: energy → behavioral → diagnostic, each seeing the earlier findings; the later one's finding cites the earlier's, and the conflict reaches the synthesis", async () => {
    const { analysts, order, text, result, events } = await run({ strategy: 'teamwork', specialists: ['diagnostic', 'energy', 'behavioral'] });
    expect(order).toEqual(['energy', 'behavioral', 'diagnostic']);
    expect(analysts.requests.map((r) => (r.data?.['priorFindings'] as Finding[] | undefined)?.map((f) => f.title) ?? [])).toEqual([[], [heatPumpTop.title], [heatPumpTop.title, porchHabit.title]]);
    expect(events[0]).toMatchObject({ type: 'status', content: expect.stringContaining('in turn (energy → behavioral → diagnostic)') });

    expect(text).toContain('Strategy: teamwork (energy → behavioral → diagnostic, each seeing the earlier findings); depth: standard; one discussion round.');
    expect(result.data.synthesis.conflicts).toEqual(['sensor.heat_pump_energy, sensor.heat_pump_flow_temperature: diagnostic flagged concerns while energy found positive patterns']);
    expect(text).toContain('**Conflicts:**');

    // The cross-reference is on record: the diagnostic insight cites the energy one.
    const kept = await records.listInsights('alice', { conversationId: 'c-team', specialist: 'diagnostic' });
    expect(kept[0].crossReferences).toEqual([{ specialist: 'energy', title: heatPumpTop.title, relation: 'disagrees', entities: heatPumpTop.entities }]);
    // The discussion round: the energy analyst answers the later finding; the pair cited in teamwork is not repeated.
    expect(text).toContain('**Discussion:** nothing beyond the cross-references above (now recorded both ways).');
    const energy = await records.listInsights('alice', { conversationId: 'c-team', specialist: 'energy' });
    expect(energy[0].crossReferences).toEqual([{ specialist: 'diagnostic', title: heatPumpStale.title, relation: 'disagrees', entities: heatPumpStale.entities }]);
    expect((await records.getReport(result.data.reportId, 'alice'))).toMatchObject({ strategy: 'teamwork', depth: 'standard' });
  });

  it('parallel: conflicting findings escalate to a discussion round that records the disagreement both ways', async () => {
    const { order, events, text, analysts } = await run({ specialists: ['energy', 'diagnostic'] });
    expect(order.sort()).toEqual(['diagnostic', 'energy']);
    expect(analysts.requests.every((r) => r.data?.['priorFindings'] === undefined)).toBe(true);
    expect(events.some((e) => e.type === 'status' && e.content.startsWith('escalating to a discussion round: the specialists disagree'))).toBe(true);
    expect(text).toContain('**Discussion:**\n- Diagnostic Analyst: "Heat Pump Flow Temperature has not changed for 2 days" disagrees with the Energy Analyst\'s "Heat Pump is the top consumer at 48 % of total" (sensor.heat_pump_energy)');
  });

  it('depth quick holds no discussion round; deep holds one even without a conflict; parallel standard without a conflict holds none', async () => {
    const quick = await run({ specialists: ['energy', 'diagnostic'], depth: 'quick' });
    expect(quick.text).not.toContain('**Discussion:**');
    expect(quick.text).toContain('Strategy: parallel; depth: quick.');
    expect(quick.result.data.synthesis.conflicts).toHaveLength(1);

    const calm = await run({ specialists: ['energy', 'behavioral'] });
    expect(calm.text).not.toContain('Strategy:');
    expect(calm.text).not.toContain('**Discussion:**');

    const deep = await run({ specialists: ['energy', 'behavioral'], depth: 'deep' });
    expect(deep.text).toContain('Strategy: parallel; depth: deep; one discussion round.');
    expect(deep.text).toContain('**Discussion:** no two specialists found anything about the same entities or devices.');
  });

  it('refuses an unknown strategy or depth as invalid_input', async () => {
    await expect(run({ strategy: 'committee' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('data.strategy must be one of parallel, teamwork') });
    await expect(run({ depth: 'bottomless' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('data.depth must be one of quick, standard, deep') });
  });
});
