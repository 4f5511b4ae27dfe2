import type { AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HaLogbookEntry, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { AnalysisPool } from '../analysis-pool/analysis-pool';
import { bundleWorkersForTest, type TestWorkers } from '../analysis-pool/testing/bundle-workers-for-test';
import { LocalClock } from '../energy/local-clock';
import type { BehaviorFigures } from './behavior-patterns';
import { BehavioralAnalyst } from './behavioral-analyst.service';
import type { BehavioralFinding } from './behavioral-findings';

// A pinned clock freezes the house: the window is the 30 days before it.
const NOW = Date.parse('2026-11-20T21:30:00Z');
/** The demo's planted habit: the porch light switched on by hand at about 19:05 on most evenings. */
const PORCH = 'light.porch';
const PORCH_MINUTE = 19 * 60 + 5;

describe('the behavioral analyst on the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let workers: TestWorkers;
  let pool: AnalysisPool;
  let events: AgentEvent[];

  beforeAll(async () => {
    [demo, workers] = await Promise.all([startDemoHome({ now: () => NOW }), bundleWorkersForTest()]);
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    pool = new AnalysisPool({ workersDir: workers.dir, maxThreads: 1 });
    events = [];
    for await (const event of new BehavioralAnalyst(ha, pool, () => new Date(NOW)).analyse({ query: 'What could I automate?' }, new AbortController().signal)) {
      events.push(event);
    }
  }, 120_000);

  afterAll(async () => {
    await pool?.onApplicationShutdown();
    await ha?.close();
    await demo?.stop();
    workers?.remove();
  });

  const result = () => (events.find((e) => e.type === 'result') as unknown as { data: BehaviorFigures & { findings: BehavioralFinding[] } }).data;
  const report = () => events.map((e) => (e.type === 'token' ? e.content : '')).join('');

  it('finds the porch light switched on by hand around 19:05, on as many evenings as the logbook shows', async () => {
    const habit = result().habits.find((h) => h.entityId === PORCH && h.state === 'on');
    expect(habit).toBeDefined();
    const [hh, mm] = habit!.usualTime.split(':').map(Number);
    expect(Math.abs(hh * 60 + mm - PORCH_MINUTE)).toBeLessThanOrEqual(15);

    // Counted independently: the logbook's person-made switch-ons of the porch light within ±30 min of 19:05, one per local day.
    const entries: HaLogbookEntry[] = await ha.getLogbook({ start: new Date(NOW - 720 * 3_600_000), end: new Date(NOW) });
    const clock = new LocalClock('Europe/Dublin');
    const evenings = new Set(
      entries
        .filter((e) => e.entity_id === PORCH && e.state === 'on' && e.context_user_id)
        .map((e) => Date.parse(String(e.when)))
        .filter((at) => Math.abs(clock.minuteOfDay(at) - PORCH_MINUTE) <= 30)
        .map((at) => clock.at(at).date),
    );
    // The demo keeps the logbook for purge_keep_days (10), as HA does: the evenings are counted over those days.
    expect(result().window.coveredFrom).toBeDefined();
    expect(evenings.size).toBeGreaterThanOrEqual(7);
    expect(habit!.all.days).toBe(evenings.size);
    // Out of the evenings whose habit time falls inside what the logbook covers, minute by minute.
    const [usualH, usualM] = habit!.usualTime.split(':').map(Number);
    const coveredEvenings = new Set<string>();
    for (let at = Date.parse(result().window.coveredFrom!); at < NOW; at += 60_000) {
      if (Math.floor(clock.minuteOfDay(at)) === usualH * 60 + usualM) coveredEvenings.add(clock.at(at).date);
    }
    expect(habit!.all.of).toBe(coveredEvenings.size);
  });

  it('suggests an automation for it, and says so in the report', () => {
    const finding = result().findings.find((f) => f.entities.includes(PORCH) && f.title.includes('switched on'));
    expect(finding).toMatchObject({
      specialist: 'behavioral',
      title: expect.stringMatching(/^Porch Light is switched on by hand around 19:\d\d$/),
      description: expect.stringMatching(/^On \d+ of (9|10|11) evenings/),
      automationSuggestion: {
        triggers: [{ trigger: 'time', at: expect.stringMatching(/^19:\d\d:00$/) }],
        actions: [{ action: 'light.turn_on', target: { entity_id: PORCH } }],
      },
    });
    expect(finding!.confidence).toBeGreaterThan(0.5);
    expect(report()).toContain(finding!.title);
    expect(report()).toMatch(/^Coverage: the logbook holds only the last \d+\.\d days/m);
    expect(report()).toMatch(/\| Porch Light \| light\.porch \| on \| 19:\d\d /);
  });

  it("tells people's changes from automations' and reports device usage", () => {
    const { actors, deviceUsage } = result();
    expect(actors.person).toBeGreaterThan(0);
    expect(actors.automation).toBeGreaterThan(0);
    expect(actors.person + actors.automation + actors.device + actors.integration).toBe(actors.total);
    // The office heater is sometimes left on overnight.
    expect(deviceUsage.find((u) => u.entityId === 'switch.office_heater')?.nightsLeftOn).toBeGreaterThan(0);
  });
});
