import { NO_SANDBOX_MESSAGE, ScriptSandbox } from '../sandbox/script-sandbox';
import { readFindings, type AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { CustomAnalyst } from './custom-analyst.service';

// A pinned clock freezes the house: the window is the 30 days before it.
const NOW = Date.parse('2026-11-20T21:30:00Z');
const QUESTION = 'Does the heat pump run more on cold days?';

describe('the custom analysis on the demo home (a script in the sandbox)', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let sandbox: ScriptSandbox | undefined;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    sandbox = await ScriptSandbox.detect('auto');
    if (!sandbox && process.env['CI']) throw new Error('no sandbox runtime on this CI machine: .ci/run installs runsc and bubblewrap');
  }, 120_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  const run = async (analyst: CustomAnalyst, query: string) => {
    const events: AgentEvent[] = [];
    for await (const event of analyst.analyse({ query }, new AbortController().signal)) events.push(event);
    return events;
  };

  it('answers "does the heat pump run more on cold days?" with a template script whose findings match an independent computation, and its chart', async () => {
    if (!sandbox) return;
    const events = await run(new CustomAnalyst(ha, async () => sandbox, { now: () => new Date(NOW) }), QUESTION);
    const report = events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
    expect(report).toContain(`a Python script run in the ${sandbox.runtime} sandbox`);
    const result = events.find((e) => e.type === 'result');
    const [finding] = readFindings(result?.type === 'result' ? result.data['findings'] : undefined, 'ds-analysts', 'test');
    expect(finding).toMatchObject({ specialist: 'custom', type: 'insight', title: expect.stringMatching(/^Heat Pump.* uses more on cold days/), entities: ['sensor.heat_pump_energy', expect.stringMatching(/^sensor\.outdoor/)] });

    // The same figures computed here from HA's daily statistics.
    const statistics = await ha.getStatisticsDuringPeriod({
      start: new Date(NOW - 720 * 3_600_000),
      end: new Date(NOW),
      statisticIds: finding.entities,
      period: 'day',
      types: ['change', 'mean'],
      units: { energy: 'kWh', temperature: '°C' },
    });
    // Whole days of the window only.
    const inWindow = (row: { start: number; end: number }) => row.start >= NOW - 720 * 3_600_000 && row.end <= NOW;
    const kwh = new Map((statistics[finding.entities[0]] ?? []).filter(inWindow).map((row) => [row.start, row.change as number]));
    const pairs = (statistics[finding.entities[1]] ?? []).filter(inWindow).flatMap((row) => (kwh.has(row.start) && typeof row.mean === 'number' ? [[row.mean, kwh.get(row.start) as number] as const] : []));
    expect(finding.evidence['days']).toBe(pairs.length);
    expect(finding.evidence['correlation'] as number).toBeCloseTo(pearson(pairs), 3);
    expect(finding.evidence['correlation'] as number).toBeLessThan(-0.3);

    const chart = events.find((e) => e.type === 'image');
    expect(chart).toMatchObject({ type: 'image', mediaType: 'image/png', title: expect.stringContaining('against the outdoor temperature') });
    expect(Buffer.from((chart as { data: string }).data, 'base64').subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('refuses, with the reason, when no sandbox runtime is available — nothing runs unconfined', async () => {
    await expect(run(new CustomAnalyst(ha, async () => undefined, { now: () => new Date(NOW) }), QUESTION)).rejects.toMatchObject({ code: 'not_implemented', message: NO_SANDBOX_MESSAGE });
  });

  it('says which questions it can answer when none of its scripts fits', async () => {
    await expect(run(new CustomAnalyst(ha, async () => sandbox, { now: () => new Date(NOW) }), 'Which room is the dustiest?')).rejects.toMatchObject({
      code: 'not_implemented',
      message: expect.stringContaining('does the heat pump run more on cold days?'),
    });
  });

  it('reports a script that breaks its limits as a failed analysis, and goes on', async () => {
    const real = sandbox;
    if (!real) return;
    // The real sandbox with 32 MiB of memory: pandas alone needs more.
    const limits = { cpuSeconds: 30, wallMs: 60_000, memoryBytes: 32 * 1024 * 1024, processes: 16, outputBytes: 1024 * 1024, outputFiles: 8 };
    const tight = { runtime: real.runtime, run: (script: string, inputs: Record<string, string>) => real.run(script, inputs, limits) } as unknown as ScriptSandbox;
    const events = await run(new CustomAnalyst(ha, async () => tight, { now: () => new Date(NOW) }), QUESTION);
    const report = events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
    expect(report).toMatch(/The analysis failed: the script (needed more than 32 MiB of memory|failed)/);
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { specialist: 'custom', findings: [], failed: expect.any(String) } });
  }, 60_000);
});

function pearson(pairs: ReadonlyArray<readonly [number, number]>): number {
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
