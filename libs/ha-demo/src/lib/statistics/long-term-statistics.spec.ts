import type { HaStatisticValue } from '@aether/home-assistant';
import { DemoHouse, sharedDemoHouse, stuckSensorSinceFor } from '../model/demo-house';
import type { StatisticsRequest } from '../model/home-model';
import { DAY_MS } from '../time/slot-time';

const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const HOUR = 3_600_000;
const house = sharedDemoHouse();

function stats(ids: string[], period: StatisticsRequest['period'], startMs: number, endMs: number, types?: StatisticsRequest['types']) {
  return house.statistics({ statisticIds: ids, period, startMs, endMs, ...(types ? { types } : {}) }, NOW);
}
/** The meter state history shows in effect at `ms`. */
const reading = (entityId: string, ms: number) => Number(house.state(entityId, ms)?.state);
const close = (a: number | null | undefined, b: number) => expect(Math.abs((a ?? Number.NaN) - b)).toBeLessThan(1e-6);

describe('long-term statistics (recorder/statistics_during_period)', () => {
  const start = Math.floor(NOW / HOUR) * HOUR - 3 * DAY_MS;
  const hourly = stats(['sensor.mains_energy', 'sensor.solar_energy', 'sensor.living_room_temperature', 'sensor.nothing'], 'hour', start, NOW);

  it('answers hourly rows for meters (state/sum/change) and measurements (mean/min/max), only for hours that have ended', () => {
    expect(Object.keys(hourly).sort()).toEqual(['sensor.living_room_temperature', 'sensor.mains_energy', 'sensor.solar_energy']);
    const mains = hourly['sensor.mains_energy'];
    expect(mains.length).toBe((Math.floor(NOW / HOUR) * HOUR - start) / HOUR);
    expect(mains[0].start).toBe(start);
    for (const row of mains) {
      expect(row.end - row.start).toBe(HOUR);
      expect(row.end).toBeLessThanOrEqual(NOW);
      expect(Object.keys(row).sort()).toEqual(['change', 'end', 'last_reset', 'start', 'state', 'sum']);
      expect(row.last_reset).toBeNull();
    }
    for (const row of hourly['sensor.living_room_temperature']) {
      expect(Object.keys(row).sort()).toEqual(['end', 'max', 'mean', 'min', 'start']);
      expect(row.min).toBeLessThanOrEqual(row.mean ?? Number.NaN);
      expect(row.mean).toBeLessThanOrEqual((row.max ?? Number.NaN) + 1e-9);
    }
  });

  it('keeps long-term statistics for over 13 months, long after history is purged (purge_keep_days)', () => {
    const from = Date.UTC(2025, 9, 29);
    const monthly = stats(['sensor.mains_energy'], 'month', from, NOW, ['change'])['sensor.mains_energy'];
    expect(monthly.length).toBeGreaterThanOrEqual(13);
    expect(monthly[0].start).toBeLessThanOrEqual(NOW - 395 * DAY_MS);
    for (const row of monthly) expect(row.change).toBeGreaterThan(0);
    // History itself is gone that far back.
    expect(house.history({ startMs: from, endMs: from + DAY_MS, entityIds: ['sensor.mains_energy'], includeStartTimeState: true, significantChangesOnly: false, minimalResponse: true, noAttributes: true }, NOW)).toEqual([]);
  });

  it("meter statistics agree with the history's meter readings", () => {
    for (const id of ['sensor.mains_energy', 'sensor.solar_energy']) {
      const rows = hourly[id];
      for (const row of rows) {
        close(row.state, reading(id, row.end - 1));
        close(row.change, reading(id, row.end - 1) - reading(id, row.start - 1));
      }
      for (let i = 1; i < rows.length; i++) close((rows[i].sum ?? 0) - (rows[i - 1].sum ?? 0), rows[i].change ?? Number.NaN);
      expect(rows[rows.length - 1].sum).toBeGreaterThan(0);
    }
    // Solar produces nothing at night.
    const nightRow = hourly['sensor.solar_energy'].find((row) => new Date(row.start).getUTCHours() === 2);
    expect(nightRow?.change).toBe(0);
  });

  it('groups hours into local days, weeks and months', () => {
    const from = Date.UTC(2026, 10, 2); // a Monday
    const to = Date.UTC(2026, 10, 23);
    const days = stats(['sensor.mains_energy', 'sensor.outdoor_temperature'], 'day', from, to);
    const hours = stats(['sensor.mains_energy', 'sensor.outdoor_temperature'], 'hour', from, to);
    expect(days['sensor.mains_energy'].length).toBe(21);
    days['sensor.mains_energy'].forEach((day: HaStatisticValue, i: number) => {
      expect(day.start).toBe(from + i * DAY_MS);
      expect(day.end).toBe(day.start + DAY_MS);
      const inDay = hours['sensor.mains_energy'].filter((h) => h.start >= day.start && h.start < day.end);
      close(day.change, inDay.reduce((sum, h) => sum + (h.change ?? 0), 0));
      close(day.sum, inDay[inDay.length - 1].sum ?? Number.NaN);
      close(day.state, reading('sensor.mains_energy', day.end - 1));
    });
    const temperatureDay = days['sensor.outdoor_temperature'][0];
    const temperatureHours = hours['sensor.outdoor_temperature'].slice(0, 24);
    expect(temperatureDay.min).toBe(Math.min(...temperatureHours.map((h) => h.min ?? Number.NaN)));
    expect(temperatureDay.max).toBe(Math.max(...temperatureHours.map((h) => h.max ?? Number.NaN)));

    const weeks = stats(['sensor.mains_energy'], 'week', from, to)['sensor.mains_energy'];
    expect(weeks.map((w) => w.start)).toEqual([from, from + 7 * DAY_MS, from + 14 * DAY_MS]);
    close(weeks[0].change, days['sensor.mains_energy'].slice(0, 7).reduce((sum, d) => sum + (d.change ?? 0), 0));
    const months = stats(['sensor.mains_energy'], 'month', Date.UTC(2026, 8, 1), NOW)['sensor.mains_energy'];
    // Local months: Dublin is on summer time (UTC+1) until late October.
    const octoberStart = Date.UTC(2026, 8, 30, 23);
    expect(months.map((m) => m.start)).toEqual([Date.UTC(2026, 7, 31, 23), octoberStart, Date.UTC(2026, 10, 1)]);
    expect(months[1].end).toBe(Date.UTC(2026, 10, 1));
    close(months[1].change, reading('sensor.mains_energy', Date.UTC(2026, 10, 1) - 1) - reading('sensor.mains_energy', octoberStart - 1));
  });

  it('keeps 5-minute statistics for 10 days only', () => {
    const short = stats(['sensor.mains_power'], '5minute', NOW - 11 * DAY_MS, NOW)['sensor.mains_power'];
    expect(short[0].start).toBeGreaterThanOrEqual(NOW - 10 * DAY_MS);
    expect(short[1].start - short[0].start).toBe(5 * 60_000);
    expect(short[short.length - 1].end).toBeLessThanOrEqual(NOW);
  });

  it('returns only the requested types (null where the statistic has none)', () => {
    const picked = stats(['sensor.mains_energy', 'sensor.living_room_temperature'], 'hour', start, start + 2 * HOUR, ['change', 'mean']);
    expect(picked['sensor.mains_energy'][0]).toEqual({ start, end: start + HOUR, change: expect.any(Number), mean: null });
    expect(picked['sensor.living_room_temperature'][0]).toEqual({ start, end: start + HOUR, change: null, mean: expect.any(Number) });
  });

  it('lists statistic ids with HA metadata; unavailable readings are left out of means', () => {
    const ids = house.statisticIds();
    expect(ids.find((m) => m.statistic_id === 'sensor.mains_energy')).toMatchObject({ has_sum: true, has_mean: false, statistics_unit_of_measurement: 'kWh', unit_class: 'energy', source: 'recorder' });
    expect(ids.find((m) => m.statistic_id === 'sensor.garage_temperature')).toMatchObject({ has_sum: false, has_mean: true, unit_class: 'temperature' });
    expect(ids.some((m) => m.statistic_id.startsWith('light.'))).toBe(false);
    const garage = stats(['sensor.garage_temperature'], 'hour', start, NOW)['sensor.garage_temperature'];
    for (const row of garage) expect(Number.isFinite(row.mean)).toBe(true);
  });

  it('serves an hour the same whether it was compiled for an earlier request or not (ended hours are compiled once)', () => {
    const options = { stuckSensorSince: stuckSensorSinceFor(NOW) };
    const ids = ['sensor.mains_energy', 'sensor.garage_temperature', 'sensor.living_room_temperature'];
    const wide = { statisticIds: ids, period: 'hour' as const, startMs: start - 5 * DAY_MS, endMs: NOW };
    // One house compiles a part of the window first, the other the whole window at once.
    const warmed = new DemoHouse(options);
    warmed.statistics({ ...wide, startMs: start - 2 * DAY_MS, endMs: start - DAY_MS }, NOW);
    expect(warmed.statistics(wide, NOW)).toEqual(new DemoHouse(options).statistics(wide, NOW));
    expect(warmed.statistics({ ...wide, period: 'day' }, NOW)).toEqual(new DemoHouse(options).statistics({ ...wide, period: 'day' }, NOW));
  });
});
