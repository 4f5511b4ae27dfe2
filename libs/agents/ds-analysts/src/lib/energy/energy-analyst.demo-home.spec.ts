import type { AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type EnergyPrefsShape, type RunningDemoHome } from '@aether/ha-demo';
import { AnalysisPool } from '../analysis-pool/analysis-pool';
import { bundleWorkersForTest, type TestWorkers } from '../analysis-pool/testing/bundle-workers-for-test';
import { EnergyAnalyst } from './energy-analyst.service';
import type { EnergyFigures } from './energy-statistics';

// A pinned clock freezes the house, so both servers hold the same history.
const NOW = Date.parse('2026-11-20T21:30:00Z');

async function analyse(shape: EnergyPrefsShape, pool: AnalysisPool): Promise<{ figures: EnergyFigures; text: string; grid: unknown }> {
  let demo: RunningDemoHome | undefined;
  let ha: HomeAssistantClient | undefined;
  try {
    demo = await startDemoHome({ now: () => NOW, energyPrefsShape: shape });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    const grid = (await ha.getEnergyPrefs())?.energy_sources.find((source) => source.type === 'grid');
    const events: AgentEvent[] = [];
    for await (const event of new EnergyAnalyst(ha, pool, () => new Date(NOW)).analyse({ hours: 48 }, new AbortController().signal)) events.push(event);
    const result = events.find((e) => e.type === 'result');
    if (!result || result.type !== 'result') throw new Error('no result event');
    return { figures: result.data as unknown as EnergyFigures, text: events.map((e) => (e.type === 'token' ? e.content : '')).join(''), grid };
  } finally {
    await ha?.close();
    await demo?.stop();
  }
}

describe('the energy analyst on the demo home in both energy-prefs shapes', () => {
  let workers: TestWorkers;
  let pool: AnalysisPool;
  beforeAll(async () => {
    workers = await bundleWorkersForTest();
    pool = new AnalysisPool({ workersDir: workers.dir, maxThreads: 1 });
  }, 60_000);
  afterAll(async () => {
    await pool?.onApplicationShutdown();
    workers?.remove();
  });

  it('reads grid import and export from the unified grid source and from the legacy flow_from/flow_to, with solar, and gives the same figures', async () => {
    const unified = await analyse('unified', pool);
    const legacy = await analyse('legacy', pool);
    expect(unified.grid).toMatchObject({ stat_energy_from: 'sensor.mains_energy', stat_energy_to: 'sensor.grid_export_energy' });
    expect(legacy.grid).toMatchObject({ flow_from: [expect.objectContaining({ stat_energy_from: 'sensor.mains_energy' })] });
    expect(legacy.grid).not.toHaveProperty('stat_energy_from');

    expect(unified.figures.totalSource).toBe('balance');
    const roleOf = (id: string) => unified.figures.sensors.find((sensor) => sensor.entityId === id)?.role;
    expect([roleOf('sensor.mains_energy'), roleOf('sensor.grid_export_energy'), roleOf('sensor.solar_energy')]).toEqual(['mains', 'export', 'production']);
    const kwhOf = (id: string) => unified.figures.sensors.find((sensor) => sensor.entityId === id)?.kwh ?? NaN;
    expect(unified.figures.totalKwh).toBeCloseTo(kwhOf('sensor.mains_energy') - kwhOf('sensor.grid_export_energy') + kwhOf('sensor.solar_energy'), 9);
    expect(unified.figures.totalKwh).toBeGreaterThan(0);
    expect(legacy.figures).toEqual(unified.figures);
    expect(legacy.text).toBe(unified.text);
  }, 120_000);
});
