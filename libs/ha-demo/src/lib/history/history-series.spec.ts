import type { HaHistoryState } from '@aether/home-assistant';
import { sharedDemoHouse } from '../model/demo-house';
import { formatHaTimestamp } from '../time/ha-datetime';
import { DAY_MS } from '../time/slot-time';
import { parseHistoryRequest, type HistoryQuery } from './history-request';
import { buildHistory } from './history-series';

const house = sharedDemoHouse();
const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const iso = (ms: number) => new Date(ms).toISOString();

function history(timestamp: string | undefined, query: HistoryQuery, now = NOW): HaHistoryState[][] {
  const parsed = parseHistoryRequest(timestamp, query, house.calendar, now);
  if (parsed.kind === 'invalid') throw new Error(parsed.message);
  return parsed.kind === 'empty' ? [] : buildHistory(house, parsed.request, now);
}

describe('history (HA HistoryPeriodView semantics)', () => {
  const start = NOW - 2 * DAY_MS - 13 * 60_000;
  const end = NOW - DAY_MS;

  it('opens each series with the state at start (last_changed = start), then one row per change inside the window', () => {
    const [series] = history(iso(start), { filter_entity_id: 'sensor.mains_energy', end_time: iso(end) });
    const mains = house.mainsEnergy;
    expect(series[0]).toEqual({
      entity_id: 'sensor.mains_energy',
      state: mains.stateForSlot(mains.slotShownAt(start)),
      attributes: house.stateOf(mains, start).attributes,
      last_changed: formatHaTimestamp(start),
      last_updated: formatHaTimestamp(start),
    });
    const times = series.map((row) => Date.parse(row.last_changed));
    for (let i = 1; i < series.length; i++) {
      expect(times[i]).toBeGreaterThan(times[i - 1]);
      expect(series[i].state).not.toBe(series[i - 1].state);
    }
    expect(times[times.length - 1]).toBeLessThan(end);
    // The mains meter changes every 5 minutes: a day has ~288 changes.
    expect(series.length).toBeGreaterThan(250);
    // The last row is the state in effect just before the end.
    expect(series[series.length - 1].state).toBe(house.stateOf(mains, end - 1).state);
  });

  it('with minimal_response only the first row has entity_id and attributes; no_attributes empties them', () => {
    const [series] = history(iso(start), { filter_entity_id: 'sensor.heat_pump_energy', end_time: iso(end), minimal_response: '', no_attributes: '' });
    expect(Object.keys(series[0]).sort()).toEqual(['attributes', 'entity_id', 'last_changed', 'last_updated', 'state']);
    expect(series[0].attributes).toEqual({});
    for (const row of series.slice(1)) expect(Object.keys(row).sort()).toEqual(['last_changed', 'state']);
  });

  it('returns one series per entity in the order requested, leaving out unknown entities', () => {
    const result = history(iso(start), { filter_entity_id: 'light.kitchen,sensor.nothing_here,sensor.mains_energy,person.sam', end_time: iso(end) });
    expect(result.map((series) => series[0].entity_id)).toEqual(['light.kitchen', 'sensor.mains_energy', 'person.sam']);
  });

  it('clips an end in the future to now', () => {
    const result = history(iso(NOW - 3 * 3_600_000), { filter_entity_id: 'sensor.mains_energy', end_time: iso(NOW + DAY_MS) });
    const last = result[0][result[0].length - 1];
    expect(Date.parse(last.last_changed)).toBeLessThanOrEqual(NOW);
    expect(last.state).toBe(house.stateOf(house.mainsEnergy, NOW).state);
  });

  it('defaults to the last day when no timestamp is given, and to start + 1 day without end_time', () => {
    const [lastDay] = history(undefined, { filter_entity_id: 'sensor.mains_energy' });
    expect(lastDay[0].last_changed).toBe(formatHaTimestamp(NOW - DAY_MS));
    const [oneDay] = history(iso(start), { filter_entity_id: 'sensor.mains_energy' });
    expect(Date.parse(oneDay[oneDay.length - 1].last_changed)).toBeLessThan(start + DAY_MS);
    expect(Date.parse(oneDay[oneDay.length - 1].last_changed)).toBeGreaterThan(start + DAY_MS - 10 * 60_000);
  });

  it('keeps purge_keep_days (10): an earlier start opens with the first change still recorded, no row invented at the cutoff', () => {
    const cutoff = NOW - 10 * DAY_MS;
    const [series] = history(iso(NOW - 40 * DAY_MS), { filter_entity_id: 'sensor.mains_energy', end_time: iso(NOW - 9 * DAY_MS) });
    const first = Date.parse(series[0].last_changed);
    expect(first).toBeGreaterThan(cutoff);
    expect(first).toBeLessThan(cutoff + 10 * 60_000);
    expect(history(iso(NOW - 40 * DAY_MS), { filter_entity_id: 'sensor.mains_energy', end_time: iso(NOW - 11 * DAY_MS) })).toEqual([]);
    // Inside the kept days the state at the start is known: the series opens at the start.
    const [kept] = history(iso(cutoff + DAY_MS), { filter_entity_id: 'sensor.mains_energy', end_time: iso(NOW - 8 * DAY_MS) });
    expect(kept[0].last_changed).toBe(formatHaTimestamp(cutoff + DAY_MS));
  });

  it('answers [] for a start in the future', () => {
    expect(history(iso(NOW + 60_000), { filter_entity_id: 'sensor.mains_energy' })).toEqual([]);
  });

  it('skip_initial_state leaves out the synthetic first row', () => {
    const [series] = history(iso(start), { filter_entity_id: 'light.living_room', end_time: iso(end), skip_initial_state: '' });
    expect(Date.parse(series[0].last_changed)).toBeGreaterThan(start);
  });

  it("rejects requests HA rejects, with HA's messages", () => {
    const message = (timestamp: string | undefined, query: HistoryQuery) => {
      const parsed = parseHistoryRequest(timestamp, query, house.calendar, NOW);
      return parsed.kind === 'invalid' ? parsed.message : undefined;
    };
    expect(message(iso(start), {})).toBe('filter_entity_id is missing');
    expect(message('not-a-date', { filter_entity_id: 'sensor.mains_energy' })).toBe('Invalid datetime');
    expect(message(iso(start), { filter_entity_id: 'sensor.mains_energy', end_time: 'soon' })).toBe('Invalid end_time');
    expect(message(iso(start), { filter_entity_id: 'sensor.mains_energy,Bad-Id' })).toBe('Invalid filter_entity_id');
  });

  it('is the same for the same window whichever process computes it', async () => {
    const { DemoHouse } = await import('../model/demo-house');
    const other = new DemoHouse();
    const parsed = parseHistoryRequest(iso(start), { filter_entity_id: 'sensor.mains_energy,sensor.ev_charger_energy,light.kitchen,sun.sun', end_time: iso(end) }, house.calendar, NOW);
    if (parsed.kind !== 'request') throw new Error('bad request');
    expect(buildHistory(other, parsed.request, NOW)).toEqual(buildHistory(house, parsed.request, NOW));
    // A different "now" (later, as for a second request) does not change a window in the past.
    expect(buildHistory(other, parsed.request, NOW + 3_600_000)).toEqual(buildHistory(house, parsed.request, NOW));
  });
});
