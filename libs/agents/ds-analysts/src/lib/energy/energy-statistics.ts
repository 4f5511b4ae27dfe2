import type { HaHistoryState } from '@aether/home-assistant';
import type { EnergySensor, EnergySensorRole } from './energy-sensors';
import type { LocalClock } from './local-clock';
import { meterConsumption, type ConsumptionDelta } from './meter-consumption';

/** Night hours searched for the baseload: local clock hours 00:00–05:00. */
export const NIGHT_HOURS = { from: 0, to: 5 } as const;
export const MAX_TOP_CONSUMERS = 5;

export interface SensorConsumption {
  entityId: string;
  name: string;
  role: EnergySensorRole;
  kwh: number;
  /** Fraction (0–1) of the total; null when the total is zero. */
  share: number | null;
  readings: number;
  resets: number;
  includedIn?: string;
}

export interface PeakHour {
  date: string;
  hour: number;
  /** e.g. "18:00–19:00 on 2026-11-28". */
  label: string;
  kwh: number;
}

export interface EnergyFigures {
  /** The history the figures rest on: the exact instants of the history query. */
  window: { start: string; end: string; hours: number };
  /**
   * Set when history did not reach back to the requested start (HA purges it after
   * `purge_keep_days`): what was asked for, and the hourly long-term statistics that fill the part
   * before `window.start` — null when HA had none, so the figures cover `window` only.
   */
  coverage: { requestedStart: string; statistics: { start: string; end: string; hours: number } | null } | null;
  timeZone: string;
  /** Consumption of the whole home: the mains meter(s) when present, else the sum of device meters. */
  totalKwh: number;
  totalSource: 'mains' | 'consumers';
  mainsKwh: number | null;
  /** Sum of the device meters, not counting meters nested in another metered device. */
  consumersKwh: number;
  /** Mains minus devices: consumption no device meter accounts for. Null without a mains meter. */
  untrackedKwh: number | null;
  sensors: SensorConsumption[];
  topConsumers: SensorConsumption[];
  /** Total consumption per local calendar day (YYYY-MM-DD). */
  dailyTotals: Record<string, number>;
  /** Average consumption (kWh per hour, i.e. mean kW) for each local clock hour "0".."23" the window covers. */
  hourlyAverages: Record<string, number>;
  peakHour: PeakHour | null;
  /**
   * The always-on load: the lowest average power, in kW, of any full local clock hour between 00:00
   * and 05:00 (an EV charging or a heater running for part of the night does not raise it); null
   * when the window holds no full night hour.
   */
  nightBaseloadKw: number | null;
}

export interface EnergyStatisticsInput {
  sensors: readonly EnergySensor[];
  /** History series by entity id. */
  history: ReadonlyMap<string, readonly HaHistoryState[]>;
  /** Start of the history query. */
  start: Date;
  end: Date;
  hours: number;
  clock: LocalClock;
  /** Where history fell short of the requested start: what was asked for, and hourly statistics (kWh per hour, by entity) before `start`. */
  shortfall?: { requestedStart: Date; statistics: StatisticsPart | null };
}

/** Hourly kWh by entity from HA's long-term statistics, over [start, end) — the part history no longer holds. */
export interface StatisticsPart {
  start: number;
  end: number;
  /** One delta per hour, dated at the hour's start. */
  hourly: Record<string, ConsumptionDelta[]>;
}

/** Computes every figure of the energy report from meter histories; no model involved. */
export function computeEnergyFigures(input: EnergyStatisticsInput): EnergyFigures {
  const { sensors, history, start, end, hours, clock, shortfall } = input;
  const statistics = shortfall?.statistics ?? null;
  const measured = sensors.map((sensor) => {
    const fromHistory = meterConsumption(history.get(sensor.entityId) ?? [], sensor.kwhPerUnit);
    const fromStatistics = statistics?.hourly[sensor.entityId] ?? [];
    return { sensor, ...fromHistory, kwh: sum(fromStatistics.map((d) => d.kwh)) + fromHistory.kwh, deltas: [...fromStatistics, ...fromHistory.deltas] };
  });
  // Averages and night hours span what the figures rest on: statistics, then history.
  const spanStart = statistics ? statistics.start : start.getTime();

  const mains = measured.filter((m) => m.sensor.role === 'mains');
  const consumers = measured.filter((m) => m.sensor.role === 'consumer');
  const consumerIds = new Set(consumers.map((c) => c.sensor.entityId));
  const topLevelConsumers = consumers.filter((c) => !c.sensor.includedIn || !consumerIds.has(c.sensor.includedIn));

  const mainsKwh = mains.length > 0 ? sum(mains.map((m) => m.kwh)) : null;
  const consumersKwh = sum(topLevelConsumers.map((c) => c.kwh));
  const totalKwh = mainsKwh ?? consumersKwh;
  const totalDeltas: ConsumptionDelta[] = (mains.length > 0 ? mains : topLevelConsumers).flatMap((m) => m.deltas);

  const share = (kwh: number) => (totalKwh > 0 ? kwh / totalKwh : null);
  const rows: SensorConsumption[] = measured.map(({ sensor, kwh, readings, resets }) => ({
    entityId: sensor.entityId,
    name: sensor.name,
    role: sensor.role,
    kwh,
    share: share(kwh),
    readings,
    resets,
    ...(sensor.includedIn ? { includedIn: sensor.includedIn } : {}),
  }));

  const daily = new Map<string, number>();
  const perClockHour = new Map<string, { date: string; hour: number; kwh: number }>();
  const perHourOfDay = new Array<number>(24).fill(0);
  for (const delta of totalDeltas) {
    const local = clock.at(delta.at);
    daily.set(local.date, (daily.get(local.date) ?? 0) + delta.kwh);
    const key = `${local.date}T${local.hour}`;
    const bucket = perClockHour.get(key) ?? { date: local.date, hour: local.hour, kwh: 0 };
    bucket.kwh += delta.kwh;
    perClockHour.set(key, bucket);
    perHourOfDay[local.hour] += delta.kwh;
  }

  const coveredHours = clock.hoursPerClockHour(spanStart, end.getTime());
  const hourlyAverages: Record<string, number> = {};
  coveredHours.forEach((covered, hour) => {
    if (covered > 0) hourlyAverages[String(hour)] = perHourOfDay[hour] / covered;
  });

  const nightHourKwh = clock
    .fullClockHours(spanStart, end.getTime())
    .filter(({ hour }) => hour >= NIGHT_HOURS.from && hour < NIGHT_HOURS.to)
    .map(({ date, hour }) => perClockHour.get(`${date}T${hour}`)?.kwh ?? 0);

  let peakHour: PeakHour | null = null;
  for (const bucket of perClockHour.values()) {
    if (bucket.kwh > 0 && (!peakHour || bucket.kwh > peakHour.kwh || (bucket.kwh === peakHour.kwh && isEarlier(bucket, peakHour)))) {
      peakHour = { ...bucket, label: clockHourLabel(bucket.date, bucket.hour) };
    }
  }

  return {
    window: { start: start.toISOString(), end: end.toISOString(), hours },
    coverage: shortfall
      ? {
          requestedStart: shortfall.requestedStart.toISOString(),
          statistics: statistics
            ? { start: new Date(statistics.start).toISOString(), end: new Date(statistics.end).toISOString(), hours: Math.round((statistics.end - statistics.start) / 36_000) / 100 }
            : null,
        }
      : null,
    timeZone: clock.timeZone,
    totalKwh,
    totalSource: mainsKwh === null ? 'consumers' : 'mains',
    mainsKwh,
    consumersKwh,
    untrackedKwh: mainsKwh === null ? null : mainsKwh - consumersKwh,
    sensors: rows,
    topConsumers: rows
      .filter((r) => r.role === 'consumer' && r.kwh > 0)
      .sort((a, b) => b.kwh - a.kwh)
      .slice(0, MAX_TOP_CONSUMERS),
    dailyTotals: Object.fromEntries([...daily.entries()].sort(([a], [b]) => a.localeCompare(b))),
    hourlyAverages,
    peakHour,
    nightBaseloadKw: nightHourKwh.length > 0 ? Math.min(...nightHourKwh) : null,
  };
}

/** "18:00–19:00 on 2026-11-28". */
export function clockHourLabel(date: string, hour: number): string {
  const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return `${hh(hour)}–${hh(hour + 1)} on ${date}`;
}

function isEarlier(a: { date: string; hour: number }, b: { date: string; hour: number }): boolean {
  return a.date < b.date || (a.date === b.date && a.hour < b.hour);
}

function sum(values: number[]): number {
  return values.reduce((acc, v) => acc + v, 0);
}
