import { jest } from '@jest/globals';
import type { AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type EnergyPrefsShape, type RunningDemoHome } from '@aether/ha-demo';
import { AnalysisPool } from '../analysis-pool/analysis-pool';
import { bundleWorkersForTest, type TestWorkers } from '../analysis-pool/testing/bundle-workers-for-test';
import { analyseEnergyHistory, type EnergyAnalysisInput, type EnergyAnalysisOutput } from './energy-analysis.task';
import { EnergyAnalyst } from './energy-analyst.service';
import { selectEnergySensors } from './energy-sensors';
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

  it('reads grid import and export from the unified grid source and from the legacy flow_from/flow_to, with solar and the battery, and gives the same figures', async () => {
    const unified = await analyse('unified', pool);
    const legacy = await analyse('legacy', pool);
    expect(unified.grid).toMatchObject({ stat_energy_from: 'sensor.mains_energy', stat_energy_to: 'sensor.grid_export_energy' });
    expect(legacy.grid).toMatchObject({ flow_from: [expect.objectContaining({ stat_energy_from: 'sensor.mains_energy' })] });
    expect(legacy.grid).not.toHaveProperty('stat_energy_from');

    expect(unified.figures.totalSource).toBe('balance');
    const roleOf = (id: string) => unified.figures.sensors.find((sensor) => sensor.entityId === id)?.role;
    const ids = ['sensor.mains_energy', 'sensor.grid_export_energy', 'sensor.solar_energy', 'sensor.home_battery_energy_out', 'sensor.home_battery_energy_in'];
    expect(ids.map(roleOf)).toEqual(['mains', 'export', 'production', 'battery_out', 'battery_in']);
    const [imported, exported, solar, batteryOut, batteryIn] = ids.map((id) => unified.figures.sensors.find((sensor) => sensor.entityId === id)?.kwh ?? NaN);
    expect(batteryIn).toBeGreaterThan(0);
    expect(unified.figures.totalKwh).toBeCloseTo(imported - exported + solar + batteryOut - batteryIn, 9);
    expect(unified.figures.totalKwh).toBeGreaterThan(0);
    expect(legacy.figures).toEqual(unified.figures);
    expect(legacy.text).toBe(unified.text);
  }, 120_000);
});

describe('the energy analyst on a fixture home whose meter dips and resets', () => {
  it("counts the meter as HA's recorder statistics sum it: dips net out, a reset starts from zero", async () => {
    const at = (hhmm: string) => `2026-11-29T${hhmm}:00+00:00`;
    // Readings of a meter that dips (1002 → 1001.6, and 2 → 1.9 after its replacement) and is replaced (1003.5 → 2).
    const readings: Array<[string, string]> = [['06:30', '1000'], ['08:20', '1002'], ['08:40', '1001.6'], ['09:10', '1003.5'], ['09:30', '2'], ['10:10', '1.9'], ['10:40', '4.0']];
    // HA's hourly statistics for them, compiled by its rule (sensor/recorder.py): per cycle last − first.
    // 08–09: 1001.6 − 1000 = 1.6; 09–10: 1003.5 − 1001.6 = 1.9, then the new meter's 2 from zero; 10–11: 4.0 − 2 = 2.0.
    const statistics = [
      { start: at('08:00'), state: 1001.6, sum: 1.6 },
      { start: at('09:00'), state: 2, sum: 5.5 },
      { start: at('10:00'), state: 4, sum: 7.5 },
    ];
    const fixture = {
      config: { location_name: 'Dip Cottage', time_zone: 'Europe/Dublin', currency: 'EUR' },
      states: [{ entity_id: 'sensor.grid_energy', state: '4.0', attributes: { friendly_name: 'Grid Energy', unit_of_measurement: 'kWh', device_class: 'energy', state_class: 'total_increasing' } }],
      history: { 'sensor.grid_energy': readings.map(([hhmm, state]) => ({ state, last_changed: at(hhmm) })) },
      statistics: { 'sensor.grid_energy': statistics },
      energy_prefs: { energy_sources: [{ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.grid_energy' }], flow_to: [] }], device_consumption: [] },
    };
    const now = Date.parse('2026-11-29T11:00:00Z');
    const demo = await startDemoHome({ now: () => now, fixture });
    const ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    const workers = await bundleWorkersForTest();
    const pool = new AnalysisPool({ workersDir: workers.dir, maxThreads: 1 });
    try {
      const events: AgentEvent[] = [];
      for await (const event of new EnergyAnalyst(ha, pool, () => new Date(now)).analyse({ hours: 4 }, new AbortController().signal)) events.push(event);
      const result = events.find((e) => e.type === 'result');
      const figures = (result?.type === 'result' ? result.data : {}) as unknown as EnergyFigures;
      const meter = figures.sensors.find((s) => s.entityId === 'sensor.grid_energy');
      // The sum's growth over the window, as HA's own statistics have it.
      expect(meter?.kwh).toBeCloseTo(statistics[statistics.length - 1].sum, 9);
      expect(meter?.resets).toBe(1);
      expect(figures.totalKwh).toBeCloseTo(7.5, 9);
    } finally {
      await pool.onApplicationShutdown();
      workers.remove();
      await ha.close();
      await demo.stop();
    }
  }, 120_000);
});

describe('the energy analyst on a home whose recorder keeps 10 days, asked for a month', () => {
  const HOUR_MS = 3_600_000;
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  it('reads the history it holds once, asking again only for the meters whose state at its start the first answer lacks', async () => {
    const workers = await bundleWorkersForTest();
    const pool = new AnalysisPool({ workersDir: workers.dir, maxThreads: 1 });
    const historyReads = jest.spyOn(ha, 'getRawHistory');
    try {
      const events: AgentEvent[] = [];
      for await (const event of new EnergyAnalyst(ha, pool, () => new Date(NOW)).analyse({ hours: 720 }, new AbortController().signal)) events.push(event);
      const text = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
      expect(text).toContain('come from hourly long-term statistics');
      const [month, rest, ...more] = historyReads.mock.calls.map(([query]) => query);
      expect(more).toEqual([]);
      expect(month.start.getTime()).toBe(NOW - 720 * HOUR_MS);
      expect(month.entityIds).toHaveLength(15);
      // From the first full hour of history (where statistics end), for a few meters only.
      expect(rest.start.getTime() % HOUR_MS).toBe(0);
      expect(rest.start.getTime()).toBeGreaterThan(month.start.getTime() + 19 * 24 * HOUR_MS);
      expect(rest.entityIds.length).toBeGreaterThan(0);
      expect(rest.entityIds.length).toBeLessThan(month.entityIds.length);
    } finally {
      historyReads.mockRestore();
      await pool.onApplicationShutdown();
      workers.remove();
    }
  }, 120_000);

  it("gives from the month's answer, read from a later start, the figures of Home Assistant's own answer for that start", async () => {
    const end = NOW;
    const requestedStart = end - 720 * HOUR_MS;
    const [config, prefs, states] = await Promise.all([ha.getConfig(), ha.getEnergyPrefs(), ha.getStates()]);
    const sensors = selectEnergySensors(prefs, states).sensors;
    const entityIds = sensors.map((sensor) => sensor.entityId);
    const answerFrom = (start: number, ids = entityIds) => ha.getRawHistory({ start: new Date(start), end: new Date(end), entityIds: ids, minimalResponse: true, noAttributes: true });
    const analyse = (input: Pick<EnergyAnalysisInput, 'history' | 'refreshed' | 'start' | 'shortfall'>): Extract<EnergyAnalysisOutput, { ok: true }> => {
      const output = analyseEnergyHistory({ ...input, entityIds, sensors, end, hours: (end - input.start) / HOUR_MS, timeZone: config.time_zone ?? 'UTC' });
      if (!output.ok) throw new Error(output.problem);
      return output;
    };

    const month = analyse({ history: await answerFrom(requestedStart), start: requestedStart });
    expect(month.historyFrom).toBeGreaterThan(requestedStart + 19 * 24 * HOUR_MS);
    const reusable = month.reusable;
    if (!reusable) throw new Error('the month fell short of its start but its answer was not handed back');
    const shortfall = { requestedStart, statistics: null };
    // From the first full hour of history, and from a moment between two meter readings.
    for (const start of [Math.ceil((month.historyFrom as number) / HOUR_MS) * HOUR_MS, (month.historyFrom as number) + 36 * HOUR_MS + 7 * 60_000 + 13_000]) {
      const stale = entityIds.filter((id) => (reusable.seriesFrom[id] ?? Infinity) > start);
      expect(stale.length).toBeLessThan(entityIds.length);
      const reused = analyse({ history: reusable.history, refreshed: { entityIds: stale, history: await answerFrom(start, stale) }, start, shortfall });
      const asked = analyse({ history: await answerFrom(start), start, shortfall });
      expect(reused.historyFrom).toBe(start);
      expect(reused.figures.totalKwh).toBeGreaterThan(0);
      expect(reused.figures).toEqual(asked.figures);
      expect(reused.findings).toEqual(asked.findings);
      expect(reused.reusable).toBeUndefined();
    }
  }, 120_000);
});
