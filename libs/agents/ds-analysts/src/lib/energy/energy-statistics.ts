import type { HaHistoryState } from '@aether/home-assistant';
import { BALANCE_SIGN, type EnergySensor, type EnergySensorRole } from './energy-sensors';
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
  /** Its history readings plus the hours long-term statistics gave it (0: the meter said nothing in the window). */
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
  /**
   * Consumption of the whole home: with grid, production or battery meters, HA's Energy dashboard
   * balance (`balance.homeKwh`); else the sum of the device meters.
   */
  totalKwh: number;
  totalSource: 'balance' | 'consumers';
  /** Grid import (null without a grid import meter). */
  mainsKwh: number | null;
  /** Cost at the Energy configuration's prices; null when no grid meter has one. */
  cost: EnergyCost | null;
  /**
   * HA's energy balance: home consumption = grid import − export + production + battery out −
   * battery in. Null when the Energy configuration has none of those meters.
   */
  balance: EnergyBalance | null;
  /** Sum of the device meters, not counting meters nested in another metered device. */
  consumersKwh: number;
  /** Home consumption minus devices: consumption no device meter accounts for. Null without a balance. */
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

export interface EnergyBalance {
  gridImportKwh: number;
  gridExportKwh: number;
  productionKwh: number;
  batteryInKwh: number;
  batteryOutKwh: number;
  homeKwh: number;
}

/** What the grid cost and earned, at the prices of HA's Energy configuration. */
export interface EnergyCost {
  /** HA's configured currency (null when it has none). */
  currency: string | null;
  /** What grid import cost; null when no import meter has a price. */
  importCost: number | null;
  /** What grid export earned; null when no export meter has a price. */
  exportCompensation: number | null;
  /** Import cost minus export compensation. */
  net: number;
  /** The price of each priced meter: a fixed one per kWh, or the entity it follows. */
  prices: Array<{ entityId: string; perKwh?: number; priceEntity?: string }>;
  /** Priced meters whose price could not be applied, and why. */
  unpriced: Array<{ entityId: string; reason: string }>;
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
  /** Price entities' numeric states as [epoch ms, price per kWh], oldest first (for meters priced by an entity). */
  prices?: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>;
  currency?: string | null;
}

/** Hourly kWh by entity from HA's long-term statistics, over [start, end) — the part history no longer holds. */
export interface StatisticsPart {
  start: number;
  end: number;
  /** One delta per hour that changed, dated at the hour's start. */
  hourly: Record<string, ConsumptionDelta[]>;
  /** The hours each meter's statistics gave, changed or not (its readings). */
  readings: Record<string, number>;
}

/** Computes every figure of the energy report from meter histories; no model involved. */
export function computeEnergyFigures(input: EnergyStatisticsInput): EnergyFigures {
  const { sensors, history, start, end, hours, clock, shortfall } = input;
  const statistics = shortfall?.statistics ?? null;
  const measured = sensors.map((sensor) => {
    const fromHistory = meterConsumption(history.get(sensor.entityId) ?? [], sensor.kwhPerUnit);
    const fromStatistics = statistics?.hourly[sensor.entityId] ?? [];
    return {
      sensor,
      ...fromHistory,
      readings: fromHistory.readings + (statistics?.readings[sensor.entityId] ?? 0),
      kwh: sum(fromStatistics.map((d) => d.kwh)) + fromHistory.kwh,
      deltas: [...fromStatistics, ...fromHistory.deltas],
    };
  });
  // Averages and night hours span what the figures rest on: statistics, then history.
  const spanStart = statistics ? statistics.start : start.getTime();

  const kwhOf = (role: EnergySensorRole) => sum(measured.filter((m) => m.sensor.role === role).map((m) => m.kwh));
  const balanced = measured.filter((m) => BALANCE_SIGN[m.sensor.role] !== undefined);
  const consumers = measured.filter((m) => m.sensor.role === 'consumer');
  const consumerIds = new Set(consumers.map((c) => c.sensor.entityId));
  const topLevelConsumers = consumers.filter((c) => !c.sensor.includedIn || !consumerIds.has(c.sensor.includedIn));

  const balance: EnergyBalance | null =
    balanced.length > 0
      ? {
          gridImportKwh: kwhOf('mains'),
          gridExportKwh: kwhOf('export'),
          productionKwh: kwhOf('production'),
          batteryInKwh: kwhOf('battery_in'),
          batteryOutKwh: kwhOf('battery_out'),
          homeKwh: sum(balanced.map((m) => (BALANCE_SIGN[m.sensor.role] as number) * m.kwh)),
        }
      : null;
  const mainsKwh = measured.some((m) => m.sensor.role === 'mains') ? kwhOf('mains') : null;
  const consumersKwh = sum(topLevelConsumers.map((c) => c.kwh));
  const totalKwh = balance?.homeKwh ?? consumersKwh;
  // Home consumption hour by hour: each balance meter's deltas with its sign (an hour's export offsets its import and production).
  const totalDeltas: ConsumptionDelta[] = balance
    ? balanced.flatMap((m) => {
        const sign = BALANCE_SIGN[m.sensor.role] as number;
        return sign === 1 ? m.deltas : m.deltas.map((d) => ({ ...d, kwh: -d.kwh }));
      })
    : topLevelConsumers.flatMap((m) => m.deltas);

  // A device's share of what the home used (the balance's own meters are its terms, not parts of it).
  const share = (kwh: number) => (totalKwh > 0 ? kwh / totalKwh : null);
  const rows: SensorConsumption[] = measured.map(({ sensor, kwh, readings, resets }) => ({
    entityId: sensor.entityId,
    name: sensor.name,
    role: sensor.role,
    kwh,
    share: sensor.role === 'consumer' ? share(kwh) : null,
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
    totalSource: balance ? 'balance' : 'consumers',
    mainsKwh,
    balance,
    cost: energyCost(measured, input.prices ?? {}, input.currency ?? null),
    consumersKwh,
    untrackedKwh: balance ? balance.homeKwh - consumersKwh : null,
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

/**
 * Grid import cost and export compensation: a fixed price times the meter's kWh, or each reading's
 * kWh times the price entity's state at that moment (the earliest known price before its first
 * state), as HA's Energy dashboard prices them.
 */
function energyCost(
  measured: ReadonlyArray<{ sensor: EnergySensor; kwh: number; deltas: readonly ConsumptionDelta[] }>,
  prices: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>,
  currency: string | null,
): EnergyCost | null {
  const priced = measured.filter((m) => m.sensor.price && (m.sensor.role === 'mains' || m.sensor.role === 'export'));
  if (priced.length === 0) return null;
  const unpriced: EnergyCost['unpriced'] = [];
  const costOf = ({ sensor, kwh, deltas }: (typeof priced)[number]): number | null => {
    const price = sensor.price!;
    if ('perKwh' in price) return kwh * price.perKwh;
    const series = prices[price.entityId] ?? [];
    if (series.length === 0) {
      unpriced.push({ entityId: sensor.entityId, reason: `its price entity ${price.entityId} has no numeric state in the window` });
      return null;
    }
    return sum(deltas.map((d) => d.kwh * priceAt(series, d.at)));
  };
  const total = (role: 'mains' | 'export') => {
    const costs = priced.filter((m) => m.sensor.role === role).map(costOf).filter((c): c is number => c !== null);
    return costs.length > 0 ? sum(costs) : null;
  };
  const importCost = total('mains');
  const exportCompensation = total('export');
  return {
    currency,
    importCost,
    exportCompensation,
    net: (importCost ?? 0) - (exportCompensation ?? 0),
    prices: priced.map(({ sensor }) => ({ entityId: sensor.entityId, ...('perKwh' in sensor.price! ? { perKwh: sensor.price.perKwh } : { priceEntity: sensor.price!.entityId }) })),
    unpriced,
  };
}

/** The price in force at `at`: the last state at or before it, else the first one. */
function priceAt(series: ReadonlyArray<readonly [number, number]>, at: number): number {
  let lo = 0;
  let hi = series.length - 1;
  if (at < series[0][0]) return series[0][1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (series[mid][0] <= at) lo = mid;
    else hi = mid - 1;
  }
  return series[lo][1];
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
