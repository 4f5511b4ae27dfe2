import { jest } from '@jest/globals';
import { AgentError, type AgentEvent, type AgentRequest } from '@aether/core';
import { TypeOrmInsightStore } from '@aether/persistence';
import { openTestDatabase, type TestDatabase } from '@aether/persistence/testing';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';
import { ScriptedAnalysts } from './testing/scripted-analysts';
import { TeamNarrator } from './team-narrator';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const request = (message: string, data?: Record<string, unknown>): AgentRequest => ({
  message,
  history: [],
  data,
  context: { conversationId: 'conv-1', userId: 'alice', model: 'gpt-test' },
});

const ENERGY_REPORT = 'Window: 2026-11-27T12:00:00.000Z → 2026-11-28T12:00:00.000Z (24 h)\nTotal: 11.500 kWh\n| Sensor | Entity | kWh | Share |\n';

describe('DsOrchestratorAgent', () => {
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

  it('consults the selected specialists in parallel, forwards their progress live and writes the team report', async () => {
    const behavioralStarted = deferred();
    const energyProgressSeen = deferred();
    const analysts = new ScriptedAnalysts({
      async *energy() {
        yield { type: 'status', agent: 'ds-analysts', content: 'Energy analyst: reading meters…' };
        // Only possible if the behavioral call runs at the same time as this one.
        await behavioralStarted.promise;
        // Only possible if the status above reached the DS orchestrator's consumer already.
        await energyProgressSeen.promise;
        for (const line of ENERGY_REPORT.split(/(?<=\n)/)) yield { type: 'token', agent: 'ds-analysts', content: line };
        yield {
          type: 'result',
          agent: 'ds-analysts',
          data: {
            specialist: 'energy',
            totalKwh: 11.5,
            findings: [
              { specialist: 'energy', type: 'insight', title: 'Heat pump is the top consumer at 43 % of total', description: 'd', confidence: 0.9, entities: ['sensor.heat_pump'], evidence: { share: 0.43 } },
              { specialist: 'energy', type: 'recommendation', title: 'Review when Heat pump runs', description: 'It uses 43 %.', confidence: 0.7, entities: ['sensor.heat_pump'], evidence: { share: 0.43 } },
            ],
          },
        };
      },
      // eslint-disable-next-line require-yield
      async *behavioral() {
        behavioralStarted.resolve();
        throw new AgentError('not_implemented', 'The behavioral analyst is not available yet in this version of Aether.', 'ds-analysts');
      },
    });

    const events: AgentEvent[] = [];
    for await (const event of new DsOrchestratorAgent(analysts, records).run(request('Analyze my energy usage over the last 7 days', { specialists: ['energy', 'behavioral'] }), signal)) {
      events.push(event);
      if (event.type === 'status' && event.agent === 'ds-analysts') energyProgressSeen.resolve();
    }

    expect(analysts.requests.map((r) => r.data)).toEqual([
      { specialist: 'behavioral', hours: 168, query: 'Analyze my energy usage over the last 7 days' },
      { specialist: 'energy', hours: 168, query: 'Analyze my energy usage over the last 7 days' },
    ]);
    expect(analysts.requests[0].context).toEqual({ conversationId: 'conv-1', userId: 'alice', model: 'gpt-test' });

    expect(events).toContainEqual({ type: 'delegation', agent: 'ds-orchestrator', target: 'ds-analysts', content: 'energy analysis over 168h: Analyze my energy usage over the last 7 days' });
    expect(events).toContainEqual({ type: 'status', agent: 'ds-orchestrator', content: 'energy analyst running…' });
    expect(events).toContainEqual({ type: 'status', agent: 'ds-orchestrator', content: 'behavioral analyst is not available yet' });
    // The analysts' tokens and results are consumed, not forwarded.
    expect(events.filter((e) => e.agent === 'ds-analysts').map((e) => e.type)).toEqual(['status']);

    const tokens = events.filter((e) => e.type === 'token');
    expect(tokens.length).toBeGreaterThan(5);
    const report = tokens.map((e) => (e.type === 'token' ? e.content : '')).join('');
    expect(report).toBe(
      [
        '**Data Science Team Report** (2 specialist(s), 168h window)',
        '',
        '**Behavioral Analyst:** The behavioral analyst is not available yet in this version of Aether.',
        '',
        '**Energy Analyst:**',
        ENERGY_REPORT.trimEnd(),
        '',
        '**Team Consensus:** Analysis synthesized 2 finding(s) from 1 specialist(s). No concerns were raised. Most confident finding: Heat pump is the top consumer at 43 % of total.',
        '',
        '**Recommendations:**',
        '1. Review when Heat pump runs: It uses 43 %.',
        '',
      ].join('\n'),
    );

    const result = events.at(-1);
    expect(result).toMatchObject({
      type: 'result',
      agent: 'ds-orchestrator',
      data: {
        hours: 168,
        specialists: ['behavioral', 'energy'],
        reports: {
          behavioral: { status: 'not_available', message: 'The behavioral analyst is not available yet in this version of Aether.' },
          energy: { status: 'completed', data: { specialist: 'energy', totalKwh: 11.5 } },
        },
      },
    });
  });

  it('fails the team run when a specialist is unavailable, and cancels the other calls', async () => {
    const energyWaiting = deferred();
    const analysts = new ScriptedAnalysts({
      // eslint-disable-next-line require-yield
      async *energy(_request, callSignal) {
        energyWaiting.resolve();
        await new Promise((_, reject) => callSignal?.addEventListener('abort', () => reject(new AgentError('cancelled', 'cancelled')), { once: true }));
      },
      // eslint-disable-next-line require-yield
      async *diagnostic() {
        await energyWaiting.promise;
        throw new AgentError('agent_unavailable', 'ds-analysts is not reachable at http://127.0.0.1:8003', 'ds-analysts');
      },
    });
    const run = async () => {
      for await (const _event of new DsOrchestratorAgent(analysts, records).run(request('energy', { specialists: ['energy', 'diagnostic'] }), signal)) {
        /* drain */
      }
    };
    await expect(run()).rejects.toEqual(new AgentError('agent_unavailable', 'ds-analysts is not reachable at http://127.0.0.1:8003', 'ds-analysts'));
    expect(analysts.signals.get('energy')?.aborted).toBe(true);
  });

  it('cancels the specialist calls when its own run is cancelled', async () => {
    const started = deferred();
    const analysts = new ScriptedAnalysts({
      async *energy(_request, callSignal) {
        yield { type: 'status', agent: 'ds-analysts', content: 'working' };
        started.resolve();
        await new Promise((_, reject) => callSignal?.addEventListener('abort', () => reject(new AgentError('cancelled', 'The call was cancelled.')), { once: true }));
      },
    });
    const controller = new AbortController();
    const seen = jest.fn();
    const run = (async () => {
      for await (const event of new DsOrchestratorAgent(analysts, records).run(request('energy', { specialists: ['energy'] }), controller.signal)) seen(event.type);
    })();
    await started.promise;
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).not.toHaveBeenCalledWith('token');
  });

  it.each([
    ['a calendar period the question names', request('How much energy did I use yesterday?', { specialists: ['energy'] })],
    ['an explicit data.period', request('How much energy did I use?', { specialists: ['energy'], period: 'yesterday' })],
  ])('passes %s to the analysts to resolve in the home’s zone, and names it in the report', async (_how, asked) => {
    const analysts = new ScriptedAnalysts({
      async *energy() {
        yield { type: 'token', agent: 'ds-analysts', content: ENERGY_REPORT };
      },
    });
    const events = [];
    for await (const event of new DsOrchestratorAgent(analysts, records).run(asked, signal)) events.push(event);
    expect(analysts.requests.map((r) => r.data)).toEqual([{ specialist: 'energy', period: 'yesterday', query: asked.message }]);
    expect(events[0]).toEqual({ type: 'status', agent: 'ds-orchestrator', content: 'consulting the energy analyst(s) over yesterday…' });
    expect(events.find((e) => e.type === 'token')).toMatchObject({ content: '**Data Science Team Report** (1 specialist(s), yesterday)\n' });
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { period: 'yesterday' } });
  });

  it('asks the behavioral analyst what could be automated, over its default 30 days when the question names no window', async () => {
    const habit = {
      specialist: 'behavioral',
      type: 'recommendation',
      title: 'Porch Light is switched on by hand around 19:05',
      description: 'On 24 of 30 evenings (80 %), between 18:55 and 19:20. An automation at 19:05 would do it for you.',
      confidence: 0.8,
      entities: ['light.porch'],
      evidence: { usualTime: '19:05', days: 24, windowDays: 30 },
      automationSuggestion: { alias: 'Porch Light on at 19:05', description: 'd', triggers: [{ trigger: 'time', at: '19:05:00' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }] },
    };
    const analysts = new ScriptedAnalysts({
      async *behavioral() {
        yield { type: 'token', agent: 'ds-analysts', content: `Findings (1):\n1. **${habit.title}**: ${habit.description}\n` };
        yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'behavioral', findings: [habit] } };
      },
    });
    const events: AgentEvent[] = [];
    for await (const event of new DsOrchestratorAgent(analysts, records).run(request('What could I automate?'), signal)) events.push(event);

    expect(analysts.requests.map((r) => r.data)).toEqual([{ specialist: 'behavioral', hours: 720, query: 'What could I automate?' }]);
    const report = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
    expect(report).toContain('**Data Science Team Report** (1 specialist(s), 720h window)');
    expect(report).toContain('**Recommendations:**\n1. Porch Light is switched on by hand around 19:05: On 24 of 30 evenings');
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { windows: { behavioral: { hours: 720 } }, specialists: ['behavioral'] } });

    // The run is on record for its caller: the report as told, the finding as a new insight.
    const { reportId, insightIds } = (events.at(-1) as unknown as { data: { reportId: string; insightIds: string[] } }).data;
    const records$ = async (data: Record<string, unknown>, userId = 'alice') => {
      const answers: AgentEvent[] = [];
      const asked = { ...request('records', data), context: { conversationId: 'elsewhere', userId } };
      for await (const event of new DsOrchestratorAgent(new ScriptedAnalysts({}), records).run(asked, signal)) answers.push(event);
      expect(answers).toHaveLength(1);
      return (answers[0] as { type: 'result'; data: Record<string, unknown> }).data;
    };
    const kept = await records$({ action: 'get_report', reportId });
    expect(kept['report']).toMatchObject({ id: reportId, question: 'What could I automate?', conversationId: 'conv-1', summary: report.trimEnd(), insightIds });
    expect(kept['report']).toMatchObject({ specialists: [{ specialist: 'behavioral', status: 'completed', findings: 1 }], recommendations: [expect.stringContaining('Porch Light')] });
    expect(await records$({ action: 'list_insights', conversationId: 'conv-1', specialist: 'behavioral' })).toEqual({
      insights: [expect.objectContaining({ ...habit, id: insightIds[0], reportId, status: 'new' })],
    });
    expect(await records$({ action: 'set_insight_status', insightId: insightIds[0], status: 'dismissed' })).toMatchObject({ insight: { status: 'dismissed' } });
    // Another caller has no such records.
    expect(await records$({ action: 'get_insight', insightId: insightIds[0] }, 'bob')).toEqual({ notFound: insightIds[0] });
    expect(await records$({ action: 'list_reports' }, 'bob')).toEqual({ reports: [] });
    await expect(records$({ action: 'set_insight_status', insightId: insightIds[0], status: 'gone' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('data.status must be one of new, acknowledged, dismissed, acted_on') });
  });

  it("keeps the analysts' charts with the report and passes links to them on, after the report, instead of the bytes", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>';
    const analysts = new ScriptedAnalysts({
      async *energy() {
        yield { type: 'token', agent: 'ds-analysts', content: ENERGY_REPORT };
        yield { type: 'image', agent: 'ds-analysts', title: 'Energy use per day', mediaType: 'image/svg+xml', data: Buffer.from(svg).toString('base64') };
        yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'energy', findings: [] } };
      },
    });
    const events: AgentEvent[] = [];
    for await (const event of new DsOrchestratorAgent(analysts, records).run(request('Analyze my energy usage for the last 7 days', { specialists: ['energy'] }), signal)) events.push(event);

    expect(events.some((e) => e.type === 'image')).toBe(false);
    const links = events.filter((e) => e.type === 'artifact');
    expect(links).toEqual([{ type: 'artifact', agent: 'ds-orchestrator', artifactId: expect.any(String), title: 'Energy use per day', mediaType: 'image/svg+xml', accessToken: expect.any(String) }]);
    const lastToken = events.map((e) => e.type).lastIndexOf('token');
    expect(events.indexOf(links[0])).toBeGreaterThan(lastToken);
    const { reportId, artifactIds } = (events.at(-1) as unknown as { data: { reportId: string; artifactIds: string[] } }).data;
    const [link] = links as Array<Extract<AgentEvent, { type: 'artifact' }>>;
    expect(artifactIds).toEqual([link.artifactId]);

    const ask = async (data: Record<string, unknown>, userId: string) => {
      const answers: AgentEvent[] = [];
      for await (const event of new DsOrchestratorAgent(new ScriptedAnalysts({}), records).run({ ...request('records', data), context: { conversationId: 'elsewhere', userId } }, signal)) answers.push(event);
      return (answers[0] as { data: Record<string, unknown> }).data;
    };
    const byOwner = await ask({ action: 'get_artifact', artifactId: link.artifactId }, 'alice');
    expect(byOwner['artifact']).toMatchObject({ id: link.artifactId, reportId, title: 'Energy use per day', mediaType: 'image/svg+xml', data: Buffer.from(svg).toString('base64') });
    expect(await ask({ action: 'get_artifact', artifactId: link.artifactId, accessToken: link.accessToken }, 'artifact-link')).toEqual(byOwner);
    expect(await ask({ action: 'get_artifact', artifactId: link.artifactId }, 'bob')).toEqual({ notFound: link.artifactId });
    expect(await ask({ action: 'get_artifact', artifactId: link.artifactId, accessToken: 'guess' }, 'alice')).toEqual({ notFound: link.artifactId });
    expect((await ask({ action: 'get_report', reportId }, 'alice'))['report']).toMatchObject({ artifacts: [{ id: link.artifactId, title: 'Energy use per day', mediaType: 'image/svg+xml' }] });
  });

  it("fails the team run with upstream_error when an analyst's finding is malformed", async () => {
    const analysts = new ScriptedAnalysts({
      async *energy() {
        yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'energy', findings: [{ specialist: 'energy', type: 'insight', title: 'No evidence', description: '', confidence: 0.5, entities: [] }] } };
      },
    });
    const run = async () => {
      for await (const _event of new DsOrchestratorAgent(analysts, records).run(request('energy', { specialists: ['energy'] }), signal)) {
        /* drain */
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringContaining('the energy analyst sent an invalid finding: findings[0].evidence') });
  });

  it('refuses data.hours and data.period together as invalid_input', async () => {
    const run = new DsOrchestratorAgent(new ScriptedAnalysts({}), records).run(request('energy', { hours: 24, period: 'today' }), signal);
    await expect(run.next()).rejects.toMatchObject({ code: 'invalid_input' });
  });

  describe('the synthesis in words, on request', () => {
    const energyOnly = () =>
      new ScriptedAnalysts({
        async *energy() {
          yield { type: 'token', agent: 'ds-analysts', content: ENERGY_REPORT };
          yield {
            type: 'result',
            agent: 'ds-analysts',
            data: { specialist: 'energy', findings: [{ specialist: 'energy', type: 'insight', title: 'Heat pump is the top consumer at 43 % of total', description: 'd', confidence: 0.9, entities: ['sensor.heat_pump'], evidence: { share: 0.43 } }] },
          };
        },
      });
    /** A model that answers `reply` and records what it was asked. */
    const modelSaying = (reply: string | Error) => {
      const asked: Array<{ model: string; messages: Array<{ role: string; content: string }> }> = [];
      const narrator = new TeamNarrator({
        complete: async (request) => {
          asked.push({ model: request.model, messages: request.messages });
          if (reply instanceof Error) throw reply;
          return { text: reply, finishReason: 'stop' };
        },
        resolve: (requested) => `resolved:${requested}`,
      });
      return { narrator, asked };
    };
    const run = async (narrator: TeamNarrator, message: string, data?: Record<string, unknown>) => {
      const events: AgentEvent[] = [];
      for await (const event of new DsOrchestratorAgent(energyOnly(), records, narrator).run(request(message, { specialists: ['energy'], ...data }), signal)) events.push(event);
      const text = events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
      const result = events.at(-1) as unknown as { data: { reportId: string; narrative?: unknown } };
      return { text, result };
    };

    it('asks the model for a few sentences from the report the code wrote, checks their figures and appends them; the report is kept with them', async () => {
      const { narrator, asked } = modelSaying('The heat pump dominates: 43 % of the 11.500 kWh. Start there.');
      const { text, result } = await run(narrator, 'Analyze my energy usage', { synthesis: 'llm' });
      expect(asked).toHaveLength(1);
      expect(asked[0].model).toBe('resolved:gpt-test');
      expect(asked[0].messages[1].content).toContain('Total: 11.500 kWh');
      expect(asked[0].messages[1].content).toContain('Heat pump is the top consumer at 43 % of total');
      expect(text).toContain('**In words** (written by resolved:gpt-test from this report; its figures checked against it):\nThe heat pump dominates: 43 % of the 11.500 kWh. Start there.');
      expect(result.data.narrative).toEqual({ status: 'written', model: 'resolved:gpt-test', text: 'The heat pump dominates: 43 % of the 11.500 kWh. Start there.' });
      expect((await records.getReport(result.data.reportId, 'alice'))?.summary).toContain('The heat pump dominates');
    });

    it('withholds a synthesis with a figure the report does not give, and says which', async () => {
      const { narrator } = modelSaying('You used 14.2 kWh, costing €3.10.');
      const { text, result } = await run(narrator, 'Analyze my energy usage', { synthesis: 'llm' });
      expect(text).toContain(`**In words:** withheld — resolved:gpt-test's synthesis gave figures the report does not ("14.2", "3.10")`);
      expect(text).not.toContain('costing');
      expect(result.data.narrative).toMatchObject({ status: 'withheld', unverified: ['14.2', '3.10'] });
    });

    it('is asked for by a question that wants a summary, and not otherwise or when the caller says programmatic', async () => {
      const { narrator, asked } = modelSaying('The heat pump leads.');
      expect((await run(narrator, 'Summarize my energy usage this week')).text).toContain('The heat pump leads.');
      expect((await run(narrator, 'Analyze my energy usage')).result.data.narrative).toBeUndefined();
      expect((await run(narrator, 'Summarize my energy usage', { synthesis: 'programmatic' })).result.data.narrative).toBeUndefined();
      expect(asked).toHaveLength(1);
    });

    it('says why there is none when no model is configured or the model fails, and the run still answers', async () => {
      expect((await run(TeamNarrator.offline, 'Analyze my energy usage', { synthesis: 'llm' })).text).toContain('**In words:** a synthesis in words needs a model, and none is configured');
      const { text, result } = await run(modelSaying(new Error('429 Rate limit reached')).narrator, 'Analyze my energy usage', { synthesis: 'llm' });
      expect(text).toContain('**In words:** resolved:gpt-test could not write it (429 Rate limit reached)');
      expect(text).toContain('Total: 11.500 kWh');
      expect(result.data.reportId).toEqual(expect.any(String));
    });

    it('refuses an unknown synthesis mode as invalid input before any analyst runs', async () => {
      const analysts = energyOnly();
      const asking = new DsOrchestratorAgent(analysts, records, TeamNarrator.offline).run(request('Analyze', { specialists: ['energy'], synthesis: 'poetic' }), signal);
      await expect(asking.next()).rejects.toMatchObject({ code: 'invalid_input', message: 'data.synthesis must be one of programmatic, llm, got "poetic".' });
      expect(analysts.requests).toEqual([]);
    });
  });
});
