import { AgentError, type AgentEvent } from '@aether/core';
import {
  HomeAssistantError,
  type HaCoreConfig,
  type HaEnergyPrefs,
  type HaEntityState,
  type HaHistoryQuery,
  type HaHistoryState,
  type HaStatisticsQuery,
  type HaStatisticsResult,
  type HaStatisticValue,
} from '@aether/home-assistant';
import { UnscriptedHomeAssistantClient } from '@aether/home-assistant/testing';
import { AnalysisPool } from '../analysis-pool/analysis-pool';
import { bundleWorkersForTest, type TestWorkers } from '../analysis-pool/testing/bundle-workers-for-test';
import { EnergyAnalyst } from './energy-analyst.service';
import type { EnergyFinding } from './energy-findings';
import type { EnergyFigures } from './energy-statistics';
import { ENERGY_REPORT_TABLE_HEADER, parseEnergyReport } from './energy-report.format';

/** A Home Assistant that answers from hand-made data and records the history queries it gets. */
class FakeHomeAssistant extends UnscriptedHomeAssistantClient {
  readonly historyQueries: HaHistoryQuery[] = [];
  readonly statisticsQueries: HaStatisticsQuery[] = [];

  constructor(
    private readonly data: {
      timeZone: string;
      prefs: HaEnergyPrefs | null;
      states: HaEntityState[];
      history: Record<string, Array<[string, string]>>;
      failHistory?: HomeAssistantError;
      /** Hourly long-term statistics by statistic id; none when absent. */
      statistics?: HaStatisticsResult;
    },
  ) {
    super();
  }
  override async ping() {
    return { message: 'API running.' };
  }
  override async getConfig(): Promise<HaCoreConfig> {
    return {
      location_name: 'Test home',
      latitude: 53.35,
      longitude: -6.26,
      elevation: 10,
      unit_system: {},
      time_zone: this.data.timeZone,
      components: ['energy'],
      version: '2026.11.0',
    };
  }
  override async getStates() {
    return this.data.states;
  }
  override async getState(entityId: string) {
    return this.data.states.find((s) => s.entity_id === entityId) ?? null;
  }
  override async getHistory(query: HaHistoryQuery): Promise<HaHistoryState[][]> {
    this.historyQueries.push(query);
    if (this.data.failHistory) throw this.data.failHistory;
    // Like HA: one series per entity with history in the window, in HA's order (not the request
    // order), opening with the state at the start when one was recorded before it (else with the
    // first row still recorded); with minimal_response only the first state names the entity.
    const start = query.start.getTime();
    const end = query.end?.getTime() ?? Infinity;
    return [...query.entityIds]
      .reverse()
      .map((id) => {
        const rows = this.data.history[id] ?? [];
        const before = rows.filter(([when]) => Date.parse(when) <= start).at(-1);
        const inside = rows.filter(([when]) => Date.parse(when) > start && Date.parse(when) < end);
        const series: Array<[string, string]> = before ? [[query.start.toISOString(), before[1]], ...inside] : inside;
        return series.map(([when, state], i) => (i === 0 ? { entity_id: id, state, last_changed: when } : { state, last_changed: when }));
      })
      .filter((series) => series.length > 0);
  }
  override async getStatisticsDuringPeriod(query: HaStatisticsQuery): Promise<HaStatisticsResult> {
    this.statisticsQueries.push(query);
    const inWindow = (row: HaStatisticValue) => row.start >= query.start.getTime() && (!query.end || row.end <= query.end.getTime());
    return Object.fromEntries(query.statisticIds.flatMap((id) => (this.data.statistics?.[id] ? [[id, this.data.statistics[id].filter(inWindow)]] : [])));
  }
  override async getEnergyPrefs() {
    return this.data.prefs;
  }
  override async close() {
    /* nothing to close */
  }
}

function energySensor(entityId: string, name: string, unit: string): HaEntityState {
  return {
    entity_id: entityId,
    state: '0',
    attributes: { device_class: 'energy', unit_of_measurement: unit, friendly_name: name, state_class: 'total_increasing' },
    last_changed: '2026-11-28T11:00:00Z',
    last_updated: '2026-11-28T11:00:00Z',
  };
}

const STATES = [
  energySensor('sensor.grid_import', 'Grid import', 'kWh'),
  energySensor('sensor.heat_pump_energy', 'Heat pump', 'kWh'),
  energySensor('sensor.ev_charger_energy', 'EV charger', 'Wh'),
  energySensor('sensor.fridge_energy', 'Fridge', 'kWh'),
  { entity_id: 'sensor.living_room_power', state: '120', attributes: { device_class: 'power', unit_of_measurement: 'W' }, last_changed: '', last_updated: '' },
];

const PREFS: HaEnergyPrefs = {
  energy_sources: [{ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.grid_import' }], flow_to: [] }],
  device_consumption: [
    { stat_consumption: 'sensor.heat_pump_energy' },
    { stat_consumption: 'sensor.ev_charger_energy' },
    { stat_consumption: 'sensor.fridge_energy' },
  ],
};

// Window 2026-11-27T12:00Z → 2026-11-28T12:00Z. In November Dublin is on UTC (no DST switch in
// the window), so the local day boundary is midnight UTC.
const HISTORY: Record<string, Array<[string, string]>> = {
  'sensor.grid_import': [
    ['2026-11-27T12:00:00.000Z', '1000.0'],
    ['2026-11-27T18:30:00.000Z', '1004.0'], // +4    27th 18h
    ['2026-11-27T19:00:00.000Z', 'unavailable'],
    ['2026-11-27T23:30:00.000Z', '1006.0'], // +2    27th 23h
    ['2026-11-28T02:00:00.000Z', '1007.0'], // +1    28th 02h (night)
    ['2026-11-28T04:59:00.000Z', '1008.0'], // +1    28th 04h (night)
    ['2026-11-28T11:00:00.000Z', '1011.5'], // +3.5  28th 11h
  ],
  'sensor.heat_pump_energy': [
    ['2026-11-27T12:00:00.000Z', '500'],
    ['2026-11-27T18:30:00.000Z', '502'],
    ['2026-11-28T11:00:00.000Z', '505'],
  ],
  'sensor.ev_charger_energy': [
    ['2026-11-27T12:00:00.000Z', '20000'],
    ['2026-11-27T23:30:00.000Z', '21500'],
    ['2026-11-28T01:00:00.000Z', 'unknown'],
    ['2026-11-28T02:00:00.000Z', '22000'],
  ],
  'sensor.fridge_energy': [
    ['2026-11-27T12:00:00.000Z', '10.0'],
    ['2026-11-27T18:30:00.000Z', '10.4'],
    ['2026-11-28T02:00:00.000Z', '0.2'], // reset
    ['2026-11-28T11:00:00.000Z', '0.5'],
  ],
};

const NOW = new Date('2026-11-28T12:00:00.000Z');

async function collect(events: AsyncIterable<AgentEvent>): Promise<{ text: string; events: AgentEvent[] }> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return { text: all.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join(''), events: all };
}

type EnergyResult = EnergyFigures & { findings: EnergyFinding[] };

function resultData(events: AgentEvent[]): EnergyResult {
  const result = events.find((e) => e.type === 'result');
  if (!result || result.type !== 'result') throw new Error('no result event');
  return result.data as unknown as EnergyResult;
}

describe('EnergyAnalyst', () => {
  const signal = new AbortController().signal;
  // The computation runs where it runs in the services: in a worker thread, from the bundled worker.
  let workers: TestWorkers;
  let pool: AnalysisPool;
  beforeAll(async () => {
    workers = await bundleWorkersForTest();
    pool = new AnalysisPool({ workersDir: workers.dir });
  }, 60_000);
  afterAll(async () => {
    await pool?.onApplicationShutdown();
    workers?.remove();
  });

  it("counts home consumption as HA's Energy dashboard does: grid import − export + production + battery out − battery in, hour by hour", async () => {
    const states = [
      ...STATES,
      energySensor('sensor.grid_export', 'Grid export', 'kWh'),
      energySensor('sensor.solar', 'Solar', 'kWh'),
      energySensor('sensor.battery_out', 'Battery discharge', 'kWh'),
      energySensor('sensor.battery_in', 'Battery charge', 'kWh'),
    ];
    const prefs: HaEnergyPrefs = {
      energy_sources: [
        { type: 'grid', stat_energy_from: 'sensor.grid_import', stat_energy_to: 'sensor.grid_export' },
        { type: 'solar', stat_energy_from: 'sensor.solar' },
        { type: 'battery', stat_energy_from: 'sensor.battery_out', stat_energy_to: 'sensor.battery_in' },
      ],
      device_consumption: PREFS.device_consumption,
    };
    const history = {
      ...HISTORY,
      // Noon on the 28th: 3 kWh of sun, 1 exported, 0.5 into the battery.
      'sensor.grid_export': [['2026-11-27T12:00:00.000Z', '50.0'], ['2026-11-28T11:30:00.000Z', '51.0']] as Array<[string, string]>,
      'sensor.solar': [['2026-11-27T12:00:00.000Z', '300.0'], ['2026-11-28T11:30:00.000Z', '303.0']] as Array<[string, string]>,
      'sensor.battery_in': [['2026-11-27T12:00:00.000Z', '7.0'], ['2026-11-28T11:30:00.000Z', '7.5']] as Array<[string, string]>,
      // Evening of the 27th: the battery gives 2 kWh.
      'sensor.battery_out': [['2026-11-27T12:00:00.000Z', '9.0'], ['2026-11-27T18:45:00.000Z', '11.0']] as Array<[string, string]>,
    };
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs, states, history });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    const data = resultData(events);
    // 11.5 imported − 1 exported + 3 solar + 2 from the battery − 0.5 into it.
    expect(data.balance).toEqual({ gridImportKwh: 11.5, gridExportKwh: 1, productionKwh: 3, batteryOutKwh: 2, batteryInKwh: 0.5, homeKwh: 15 });
    expect(data.totalKwh).toBeCloseTo(15);
    expect(data.totalSource).toBe('balance');
    expect(data.untrackedKwh).toBeCloseTo(15 - 7.9);
    expect(data.sensors.find((s) => s.entityId === 'sensor.heat_pump_energy')?.share).toBeCloseTo(5 / 15);
    expect(data.sensors.find((s) => s.entityId === 'sensor.solar')).toMatchObject({ role: 'production', share: null });
    // By hour: 18:00 on the 27th is 4 imported + 2 from the battery; 11:00 on the 28th 3.5 + 3 − 1 − 0.5.
    expect(data.peakHour).toMatchObject({ date: '2026-11-27', hour: 18 });
    expect(data.peakHour?.kwh).toBeCloseTo(6);
    expect(data.dailyTotals['2026-11-27']).toBeCloseTo(8);
    expect(data.dailyTotals['2026-11-28']).toBeCloseTo(7);
    expect(text).toContain('Meters: 1 grid import, 1 grid export, 1 production, 1 battery out, 1 battery in, 3 device');
    expect(text).toContain("Home consumption (as Home Assistant's Energy dashboard counts it): grid import 11.500 − export 1.000 + production 3.000 + battery out 2.000 − battery in 0.500 = 15.000 kWh");
    expect(parseEnergyReport(text)?.totalKwh).toBe(15);
    expect(parseEnergyReport(text)?.rows.map((r) => r.name).slice(0, 5)).toEqual([
      'Grid import (grid import)',
      'Grid export (grid export)',
      'Solar (production)',
      'Battery discharge (battery out)',
      'Battery charge (battery in)',
    ]);
  });

  it("prices grid import at the tariff entity's state at each reading (in its unit) and export at a fixed compensation, as the Energy dashboard does", async () => {
    const tariff = { entity_id: 'input_number.tariff', state: '250', attributes: { unit_of_measurement: 'EUR/MWh' }, last_changed: '', last_updated: '' };
    const states = [...STATES, energySensor('sensor.grid_export', 'Grid export', 'kWh'), tariff];
    const prefs: HaEnergyPrefs = {
      energy_sources: [
        { type: 'grid', stat_energy_from: 'sensor.grid_import', entity_energy_price: 'input_number.tariff', stat_energy_to: 'sensor.grid_export', number_energy_price_export: 0.1 },
      ],
      device_consumption: [],
    };
    const history = {
      ...HISTORY,
      'sensor.grid_export': [['2026-11-27T12:00:00.000Z', '50.0'], ['2026-11-28T11:30:00.000Z', '52.0']] as Array<[string, string]>,
      // 0.40 EUR/kWh until 23:00, then the night rate 0.25 EUR/kWh.
      'input_number.tariff': [['2026-11-27T12:00:00.000Z', '400'], ['2026-11-27T23:00:00.000Z', '250']] as Array<[string, string]>,
    };
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs, states, history });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    const data = resultData(events);
    // Import readings: +4 at 18:30 at 0.40; +2 at 23:30, +1, +1 and +3.5 after the change at 0.25.
    const importCost = 4 * 0.4 + 7.5 * 0.25;
    expect(data.cost?.importCost).toBeCloseTo(importCost, 9);
    expect(data.cost?.exportCompensation).toBeCloseTo(2 * 0.1, 9);
    expect(data.cost?.net).toBeCloseTo(importCost - 0.2, 9);
    expect(data.cost).toMatchObject({ currency: null, unpriced: [], prices: [{ entityId: 'sensor.grid_import', priceEntity: 'input_number.tariff' }, { entityId: 'sensor.grid_export', perKwh: 0.1 }] });
    expect(text).toContain(`Cost: ${(importCost - 0.2).toFixed(2)} net: grid import ${importCost.toFixed(2)} − export compensation 0.20 (sensor.grid_import at the price in input_number.tariff; sensor.grid_export at 0.1 per kWh)`);
  });

  it('says which meter could not be priced when its price entity has no numeric state', async () => {
    const prefs: HaEnergyPrefs = { energy_sources: [{ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.grid_import', entity_energy_price: 'sensor.spot_price' }] }], device_consumption: [] };
    const history = { ...HISTORY, 'sensor.spot_price': [['2026-11-27T12:00:00.000Z', 'unavailable']] as Array<[string, string]> };
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs, states: STATES, history });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    expect(resultData(events).cost).toMatchObject({ importCost: null, unpriced: [{ entityId: 'sensor.grid_import', reason: 'its price entity sensor.spot_price has no numeric state in the window' }] });
    expect(text).toContain('Not priced: sensor.grid_import (its price entity sensor.spot_price has no numeric state in the window)');
  });

  it('computes totals, shares, untracked, daily totals, peak hour and night baseload from meter history', async () => {
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));

    expect(ha.historyQueries).toHaveLength(1);
    const [query] = ha.historyQueries;
    expect(query.entityIds).toEqual(['sensor.grid_import', 'sensor.heat_pump_energy', 'sensor.ev_charger_energy', 'sensor.fridge_energy']);
    expect(query.start.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(query.end?.toISOString()).toBe('2026-11-28T12:00:00.000Z');

    const data = resultData(events);
    expect(data['totalKwh']).toBeCloseTo(11.5);
    expect(data['totalSource']).toBe('balance');
    const sensor = (id: string) => data.sensors.find((s) => s.entityId === id);
    const kwhOf = (id: string) => sensor(id)?.kwh;
    expect(kwhOf('sensor.heat_pump_energy')).toBeCloseTo(5);
    expect(kwhOf('sensor.ev_charger_energy')).toBeCloseTo(2); // Wh × 0.001
    expect(kwhOf('sensor.fridge_energy')).toBeCloseTo(0.9); // 0.4, then reset to 0.2, then 0.3
    expect(data['consumersKwh']).toBeCloseTo(7.9);
    expect(data['untrackedKwh']).toBeCloseTo(3.6);
    expect(sensor('sensor.heat_pump_energy')?.share).toBeCloseTo(5 / 11.5);
    expect(data['dailyTotals']['2026-11-27']).toBeCloseTo(6);
    expect(data['dailyTotals']['2026-11-28']).toBeCloseTo(5.5);
    expect(data['peakHour']).toMatchObject({ date: '2026-11-27', hour: 18, label: '18:00–19:00 on 2026-11-27' });
    expect(data.peakHour?.kwh).toBeCloseTo(4);
    // The 2 kWh used between 00:00 and 05:00 all fall in one hour; the quietest night hour used nothing.
    expect(data['nightBaseloadKw']).toBe(0);
    expect(data['hourlyAverages']['18']).toBeCloseTo(4);
    expect(data['hourlyAverages']['3']).toBeCloseTo(0);
    expect(data.topConsumers.map((c) => c.name)).toEqual(['Heat pump', 'EV charger', 'Fridge']);
    const titles = data.findings.map((f) => f.title);
    expect(titles).toContain('Heat pump is the top consumer at 43 % of total');
    expect(titles).toContain('Night baseload 0.00 kW');
    expect(titles).toContain('31 % of consumption is not tracked by any device meter');

    const report = parseEnergyReport(text);
    expect(report).toEqual({
      window: { start: '2026-11-27T12:00:00.000Z', end: '2026-11-28T12:00:00.000Z', hours: 24 },
      totalKwh: 11.5,
      rows: [
        { name: 'Grid import (grid import)', entityId: 'sensor.grid_import', kwh: 11.5, share: 'n/a' },
        { name: 'Heat pump', entityId: 'sensor.heat_pump_energy', kwh: 5, share: '43.5 %' },
        { name: 'EV charger', entityId: 'sensor.ev_charger_energy', kwh: 2, share: '17.4 %' },
        { name: 'Fridge', entityId: 'sensor.fridge_energy', kwh: 0.9, share: '7.8 %' },
      ],
    });
    expect(text).toContain('Peak hour: 18:00–19:00 on 2026-11-27 (4.000 kWh)');
    expect(text).toContain('Night baseload (quietest hour 00:00–05:00): 0.000 kW');
    expect(text).toContain('- 2026-11-27: 6.000 kWh');
    expect(text).toContain('Untracked (home consumption minus device meters): 3.600 kWh (31.3 %)');
    // Streamed as it is computed: one token per line.
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(10);
  });

  it("attributes consumption to Home Assistant's local day and hour", async () => {
    // In July Dublin is UTC+1: 23:30 UTC is 00:30 local on the next day.
    const ha = new FakeHomeAssistant({
      timeZone: 'Europe/Dublin',
      prefs: { energy_sources: [{ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.grid_import' }] }], device_consumption: [] },
      states: STATES,
      history: {
        'sensor.grid_import': [
          ['2026-07-14T12:00:00.000Z', '100'],
          ['2026-07-14T17:10:00.000Z', '101'], // 18h local on the 14th
          ['2026-07-14T23:30:00.000Z', '103'], // 00h local on the 15th
        ],
      },
    });
    const { events } = await collect(new EnergyAnalyst(ha, pool, () => new Date('2026-07-15T12:00:00.000Z')).analyse({}, signal));
    const data = resultData(events);
    expect(data['dailyTotals']).toEqual({ '2026-07-14': 1, '2026-07-15': 2 });
    expect(data['peakHour']).toMatchObject({ label: '00:00–01:00 on 2026-07-15', kwh: 2 });
    expect(data['nightBaseloadKw']).toBe(0);
    expect(data['untrackedKwh']).toBeCloseTo(3);
  });

  it('takes the night baseload from the quietest full night hour, so an EV charging overnight does not inflate it', async () => {
    const grid = (at: string, kwh: string): [string, string] => [at, kwh];
    const ha = new FakeHomeAssistant({
      timeZone: 'Europe/Dublin',
      prefs: { energy_sources: [{ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.grid_import' }] }], device_consumption: [] },
      states: STATES,
      history: {
        'sensor.grid_import': [
          grid('2026-11-27T12:00:00.000Z', '100.00'),
          grid('2026-11-28T00:59:00.000Z', '100.30'), // 00h: 0.30 kWh
          grid('2026-11-28T01:59:00.000Z', '100.62'), // 01h: 0.32
          grid('2026-11-28T02:59:00.000Z', '107.92'), // 02h: 7.30, the car charging
          grid('2026-11-28T03:59:00.000Z', '108.27'), // 03h: 0.35
          grid('2026-11-28T04:59:00.000Z', '108.58'), // 04h: 0.31
        ],
      },
    });
    const { events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    const data = resultData(events);
    expect(data['nightBaseloadKw']).toBeCloseTo(0.3);
    expect(data.findings.map((f) => f.title)).toContain('Night baseload 0.30 kW');
  });

  it('without an Energy configuration analyses every kWh-like energy sensor and totals the devices', async () => {
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: null, states: STATES, history: HISTORY });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    const data = resultData(events);
    expect(ha.historyQueries[0].entityIds).not.toContain('sensor.living_room_power');
    expect(data['mainsKwh']).toBeNull();
    expect(data['untrackedKwh']).toBeNull();
    expect(data['totalSource']).toBe('consumers');
    // No mains: the grid import sensor is just another energy sensor here.
    expect(data['totalKwh']).toBeCloseTo(11.5 + 7.9);
    expect(parseEnergyReport(text)?.totalKwh).toBe(19.4);
  });

  it('clamps the window to a year (366 days)', async () => {
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 20_000 }, signal));
    expect(NOW.getTime() - ha.historyQueries[0].start.getTime()).toBe(8784 * 3_600_000);
  });

  it('states the period history really covers when HA purged the rest and has no statistics for it, and averages over that period only', async () => {
    // HA holds 24 h of history; 72 h are asked for.
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 72 }, signal));
    expect(ha.statisticsQueries).toHaveLength(1);
    // Asked once: the 24 h HA holds are analysed again from its first answer.
    expect(ha.historyQueries.map((q) => q.start.toISOString())).toEqual(['2026-11-25T12:00:00.000Z']);
    expect(parseEnergyReport(text)?.window).toEqual({ start: '2026-11-27T12:00:00.000Z', end: '2026-11-28T12:00:00.000Z', hours: 24 });
    expect(text).toContain(
      'Coverage: History covers only the last 1.0 days (Home Assistant keeps history for purge_keep_days), not the 72 h asked for; Home Assistant has no long-term statistics for the time before, so these figures cover the 24 h of history only.',
    );
    const data = resultData(events);
    expect(data.totalKwh).toBeCloseTo(11.5, 10);
    // Each clock hour was covered once, not three times.
    expect(data.hourlyAverages['18']).toBeCloseTo(4, 10);
    expect(data.coverage).toEqual({ requestedStart: '2026-11-25T12:00:00.000Z', statistics: null });
  });

  it('completes the part history lacks from hourly long-term statistics, and says so', async () => {
    const HOUR = 3_600_000;
    const statsStart = Date.parse('2026-11-26T12:00:00.000Z');
    const hourly = (kwh: number) => Array.from({ length: 24 }, (_, i) => ({ start: statsStart + i * HOUR, end: statsStart + (i + 1) * HOUR, change: kwh }));
    const statistics = { 'sensor.grid_import': hourly(0.5), 'sensor.heat_pump_energy': hourly(0.25) };
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY, statistics });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 48 }, signal));

    expect(ha.statisticsQueries).toEqual([
      { start: new Date('2026-11-26T12:00:00.000Z'), end: new Date('2026-11-27T12:00:00.000Z'), statisticIds: ha.historyQueries[0].entityIds, period: 'hour', types: ['change'], units: { energy: 'kWh' } },
    ]);
    const report = parseEnergyReport(text);
    expect(report?.window).toEqual({ start: '2026-11-27T12:00:00.000Z', end: '2026-11-28T12:00:00.000Z', hours: 24 });
    expect(report?.statistics).toEqual({ start: '2026-11-26T12:00:00.000Z', end: '2026-11-27T12:00:00.000Z', hours: 24 });
    expect(text).toContain('the 24 h before it come from hourly long-term statistics, so these figures cover 48 h from 2026-11-26T12:00:00.000Z.');
    // Statistics + history, exactly: 24 × 0.5 + 11.5 and 24 × 0.25 + 5.
    expect(report?.totalKwh).toBe(23.5);
    const data = resultData(events);
    expect(data.sensors.find((s) => s.entityId === 'sensor.heat_pump_energy')?.kwh).toBeCloseTo(11, 10);
    expect(data.dailyTotals['2026-11-26']).toBeCloseTo(6, 10);
    expect(data.dailyTotals['2026-11-27']).toBeCloseTo(6 + 6, 10);
    // Two 18:00 hours are covered: one by statistics (0.5 kWh), one by history (4 kWh).
    expect(data.hourlyAverages['18']).toBeCloseTo(2.25, 10);
  });

  it("analyses a calendar period as Home Assistant's zone has it: yesterday from local midnight to local midnight", async () => {
    // In July Dublin is UTC+1, so local midnight is 23:00 UTC the day before.
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    const { text, events } = await collect(new EnergyAnalyst(ha, pool, () => new Date('2026-07-15T12:00:00.000Z')).analyse({ period: 'yesterday', hours: 6 }, signal));
    expect(ha.historyQueries.map((q) => [q.start.toISOString(), q.end?.toISOString()])).toEqual([['2026-07-13T23:00:00.000Z', '2026-07-14T23:00:00.000Z']]);
    expect(parseEnergyReport(text)?.window).toEqual({ start: '2026-07-13T23:00:00.000Z', end: '2026-07-14T23:00:00.000Z', hours: 24 });
    expect(events).toContainEqual({ type: 'status', agent: 'ds-analysts', content: 'energy analyst reading yesterday (24 h) of history for 4 meter(s)…' });
  });

  it('reports a Home Assistant failure as an upstream_error', async () => {
    const ha = new FakeHomeAssistant({
      timeZone: 'Europe/Dublin',
      prefs: PREFS,
      states: STATES,
      history: HISTORY,
      failHistory: new HomeAssistantError('unreachable', 'Home Assistant at http://127.0.0.1:8123 is unreachable'),
    });
    const failure = collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({}, signal));
    await expect(failure).rejects.toBeInstanceOf(AgentError);
    await expect(failure).rejects.toMatchObject({ code: 'upstream_error', message: 'Home Assistant at http://127.0.0.1:8123 is unreachable' });
  });

  it('says so when the home has no energy meters', async () => {
    const ha = new FakeHomeAssistant({ timeZone: 'Europe/Dublin', prefs: null, states: [STATES[4]], history: {} });
    const { text } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({}, signal));
    expect(text).toMatch(/^No energy meters found in Home Assistant/);
    expect(text).not.toContain(ENERGY_REPORT_TABLE_HEADER);
    expect(ha.historyQueries).toHaveLength(0);
  });

  it('moves the history bytes to the worker thread instead of copying them', async () => {
    const sent: Uint8Array[] = [];
    class RecordingHistory extends FakeHomeAssistant {
      override async getRawHistory(query: HaHistoryQuery): Promise<Uint8Array> {
        const bytes = await super.getRawHistory(query);
        sent.push(bytes);
        return bytes;
      }
    }
    const ha = new RecordingHistory({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    const { events } = await collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({ hours: 24 }, signal));
    expect(resultData(events).totalKwh).toBeCloseTo(11.5, 10);
    expect(sent).toHaveLength(1);
    // Transferred: the buffer now belongs to the worker thread and is detached here.
    expect(sent[0].byteLength).toBe(0);
  });

  it('fails as an upstream error naming what was wrong (validated in the worker thread)', async () => {
    class MalformedHistory extends FakeHomeAssistant {
      override async getRawHistory(): Promise<Uint8Array> {
        return new TextEncoder().encode('[[{"entity_id":"sensor.grid_import","state":1000}]]');
      }
    }
    const ha = new MalformedHistory({ timeZone: 'Europe/Dublin', prefs: PREFS, states: STATES, history: HISTORY });
    const failure = collect(new EnergyAnalyst(ha, pool, () => NOW).analyse({}, signal));
    await expect(failure).rejects.toBeInstanceOf(AgentError);
    await expect(failure).rejects.toMatchObject({ code: 'upstream_error' });
    await expect(failure).rejects.toThrow(/unexpected answer to GET \/api\/history\/period: 0\.0\.state/);
  });
});
