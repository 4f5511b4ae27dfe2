import type { HaStatisticMetadata, HaStatisticType, HaStatisticValue, HaStatisticsResult } from '@aether/home-assistant';
import type { DemoEntity } from '../model/entities/demo-entity';
import { EnergySensorEntity } from '../model/entities/energy-sensor.entity';
import { METER_REFERENCE_SLOT } from '../model/energy-meter';
import type { StatisticsRequest } from '../model/home-model';
import type { LocalCalendar } from '../time/local-calendar';
import { DAY_MS, SLOT_MS } from '../time/slot-time';
import { ceil, max, min } from './statistics-math';
import { HOUR_MS, nextPeriodStartMs, periodStartMs } from './statistic-period';

/** Long-term statistics are compiled from when the meters were commissioned (HA never purges them). */
export const STATISTICS_START_MS = METER_REFERENCE_SLOT * SLOT_MS;
/** HA keeps 5-minute (short-term) statistics for 10 days. */
const SHORT_TERM_KEEP_MS = 10 * DAY_MS;
const FIVE_MINUTES_MS = 5 * 60_000;

/** HA's default types for a sum statistic include `last_reset` (null for `total_increasing` meters). */
const SUM_TYPES: HaStatisticType[] = ['state', 'sum', 'change', 'last_reset'];
const MEAN_TYPES: HaStatisticType[] = ['mean', 'min', 'max'];
const UNIT_CLASS: Record<string, string | null> = { kWh: 'energy', W: 'power', '°C': 'temperature', '%': null };

interface StatisticSource {
  entity: DemoEntity;
  /** `sum` for total_increasing meters, `mean` for measurements. */
  kind: 'sum' | 'mean';
  unit: string;
  /** Whole Wh readings, for meters. */
  meter?: EnergySensorEntity['meter'];
}

/** A compiled row before the requested types are picked. */
interface Row {
  start: number;
  end: number;
  mean?: number;
  min?: number;
  max?: number;
  /** Wh, for meters. */
  readingWh?: number;
  changeWh?: number;
}

/**
 * `recorder/statistics_during_period` over the house: every sensor with a `state_class` has
 * statistics — meters (`total_increasing`) `state`/`sum`/`change`, measurements `mean`/`min`/`max`
 * (time-weighted). Rows are compiled for 5-minute periods and hours as HA's recorder does, and
 * day/week/month rows are the hourly ones grouped by local period. Semantics match HA: an hour's
 * `state` is the meter reading at its end, `sum` counts kWh since statistics began, `change` is
 * the growth of `sum` over the period; only periods that have ended are reported.
 */
export class LongTermStatistics {
  private readonly sources = new Map<string, StatisticSource>();
  /**
   * Each source's compiled hours by their start (null: an hour with no value). An hour that has
   * ended never changes, so it is compiled once — as HA's recorder compiles it once into its
   * database — and a year of hours is not recomputed from 5-minute readings on every request.
   */
  private readonly compiledHours = new Map<StatisticSource, Map<number, Row | null>>();

  constructor(
    entities: readonly DemoEntity[],
    private readonly calendar: LocalCalendar,
  ) {
    for (const entity of entities) {
      const attributes = entity.attributesForSlot(METER_REFERENCE_SLOT, entity.stateForSlot(METER_REFERENCE_SLOT));
      const unit = typeof attributes['unit_of_measurement'] === 'string' ? attributes['unit_of_measurement'] : '';
      if (entity instanceof EnergySensorEntity) this.sources.set(entity.entityId, { entity, kind: 'sum', unit, meter: entity.meter });
      else if (attributes['state_class'] === 'measurement') this.sources.set(entity.entityId, { entity, kind: 'mean', unit });
    }
  }

  metadata(): HaStatisticMetadata[] {
    return [...this.sources.values()].map(({ entity, kind, unit }) => ({
      statistic_id: entity.entityId,
      display_unit_of_measurement: unit,
      has_mean: kind === 'mean',
      mean_type: kind === 'mean' ? 1 : 0,
      has_sum: kind === 'sum',
      name: null,
      source: 'recorder',
      statistics_unit_of_measurement: unit,
      unit_class: UNIT_CLASS[unit] ?? null,
    }));
  }

  during(request: StatisticsRequest, nowMs: number): HaStatisticsResult {
    const result: HaStatisticsResult = {};
    for (const id of request.statisticIds) {
      const source = this.sources.get(id);
      if (!source) continue;
      const rows = this.rows(source, request, nowMs);
      if (rows.length === 0) continue;
      const types = request.types ?? (source.kind === 'sum' ? SUM_TYPES : MEAN_TYPES);
      result[id] = rows.map((row) => this.pick(source, row, types));
    }
    return result;
  }

  private rows(source: StatisticSource, request: StatisticsRequest, nowMs: number): Row[] {
    if (request.period === '5minute') {
      const from = max(request.startMs, nowMs - SHORT_TERM_KEEP_MS, STATISTICS_START_MS);
      return this.compile(source, ceil(from / FIVE_MINUTES_MS) * FIVE_MINUTES_MS, min(request.endMs, nowMs), FIVE_MINUTES_MS);
    }
    const firstHour = ceil(max(request.startMs, STATISTICS_START_MS) / HOUR_MS) * HOUR_MS;
    const hours = this.hours(source, firstHour, min(request.endMs, nowMs));
    if (request.period === 'hour') return hours;
    return this.group(hours, request.period);
  }

  /** The hourly rows from `firstHour` (an hour's start) of the hours ended by `endMs`: compiled ones from the cache, the rest compiled in one span. */
  private hours(source: StatisticSource, firstHour: number, endMs: number): Row[] {
    let compiled = this.compiledHours.get(source);
    if (!compiled) this.compiledHours.set(source, (compiled = new Map()));
    let missingFrom = -1;
    let missingTo = -1;
    for (let hour = firstHour; hour + HOUR_MS <= endMs; hour += HOUR_MS) {
      if (compiled.has(hour)) continue;
      if (missingFrom < 0) missingFrom = hour;
      missingTo = hour + HOUR_MS;
    }
    if (missingFrom >= 0) {
      for (let hour = missingFrom; hour < missingTo; hour += HOUR_MS) if (!compiled.has(hour)) compiled.set(hour, null);
      for (const row of this.compile(source, missingFrom, missingTo, HOUR_MS)) compiled.set(row.start, row);
    }
    const rows: Row[] = [];
    for (let hour = firstHour; hour + HOUR_MS <= endMs; hour += HOUR_MS) {
      const row = compiled.get(hour);
      if (row) rows.push(row);
    }
    return rows;
  }

  /** Rows for consecutive periods of `stepMs` starting at `firstStart` (< endMs) that have ended by `lastEnd`. */
  private compile(source: StatisticSource, firstStart: number, endMs: number, stepMs: number): Row[] {
    const rows: Row[] = [];
    if (firstStart >= endMs) return rows;
    const { entity } = source;
    // The rows need states from the one in effect at the first start to the one in effect at the last end.
    let count = 0;
    while (firstStart + count * stepMs < endMs && firstStart + (count + 1) * stepMs <= endMs) count++;
    if (count === 0) return rows;
    const lastEnd = firstStart + count * stepMs;
    const firstSlot = entity.slotShownAt(firstStart - 1);
    const lastSlot = entity.slotShownAt(lastEnd - 1);

    if (source.kind === 'sum' && source.meter) {
      const readings = source.meter.readingsBetween(firstSlot, lastSlot);
      const readingBefore = (t: number) => readings[entity.slotShownAt(t - 1) - firstSlot];
      const baseWh = source.meter.initialWh;
      for (let i = 0; i < count; i++) {
        const start = firstStart + i * stepMs;
        const end = start + stepMs;
        const atEnd = readingBefore(end);
        const atStart = start <= STATISTICS_START_MS ? baseWh : readingBefore(start);
        rows.push({ start, end, readingWh: atEnd, changeWh: atEnd - atStart });
      }
      return rows;
    }

    const values = entity.statesForSlots(firstSlot, lastSlot).map(Number);
    for (let i = 0; i < count; i++) {
      const start = firstStart + i * stepMs;
      const end = start + stepMs;
      let weighted = 0;
      let weight = 0;
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (let slot = entity.slotShownAt(start); slot <= entity.slotShownAt(end - 1); slot++) {
        const value = values[slot - firstSlot];
        if (!Number.isFinite(value)) continue; // unavailable/unknown are left out, as HA does
        const span = min(end, entity.reportTimeOf(slot + 1)) - max(start, entity.reportTimeOf(slot));
        if (span <= 0) continue;
        weighted += value * span;
        weight += span;
        if (value < low) low = value;
        if (value > high) high = value;
      }
      if (weight > 0) rows.push({ start, end, mean: weighted / weight, min: low, max: high });
    }
    return rows;
  }

  /** Hourly rows → day/week/month rows in local time (HA's `_reduce_statistics`). */
  private group(hours: Row[], period: 'day' | 'week' | 'month'): Row[] {
    const grouped: Row[] = [];
    let bucket: Row[] = [];
    let bucketStart = 0;
    const flush = () => {
      if (bucket.length === 0) return;
      const last = bucket[bucket.length - 1];
      const end = nextPeriodStartMs(period, bucketStart, this.calendar);
      if (last.readingWh !== undefined) {
        grouped.push({ start: bucketStart, end, readingWh: last.readingWh, changeWh: bucket.reduce((sum, row) => sum + (row.changeWh ?? 0), 0) });
      } else {
        grouped.push({
          start: bucketStart,
          end,
          mean: bucket.reduce((sum, row) => sum + (row.mean ?? 0), 0) / bucket.length,
          min: Math.min(...bucket.map((row) => row.min ?? Number.POSITIVE_INFINITY)),
          max: Math.max(...bucket.map((row) => row.max ?? Number.NEGATIVE_INFINITY)),
        });
      }
      bucket = [];
    };
    for (const row of hours) {
      const start = periodStartMs(period, row.start, this.calendar);
      if (start !== bucketStart) {
        flush();
        bucketStart = start;
      }
      bucket.push(row);
    }
    flush();
    return grouped;
  }

  private pick(source: StatisticSource, row: Row, types: readonly HaStatisticType[]): HaStatisticValue {
    const value: HaStatisticValue = { start: row.start, end: row.end };
    const sum = source.kind === 'sum';
    const baseWh = source.meter?.initialWh ?? 0;
    for (const type of types) {
      switch (type) {
        case 'mean':
          value.mean = sum ? null : round3(row.mean);
          break;
        case 'min':
          value.min = sum ? null : (row.min ?? null);
          break;
        case 'max':
          value.max = sum ? null : (row.max ?? null);
          break;
        case 'state':
          value.state = sum ? kwh(row.readingWh ?? 0) : null;
          break;
        case 'sum':
          value.sum = sum ? kwh((row.readingWh ?? 0) - baseWh) : null;
          break;
        case 'change':
          value.change = sum ? kwh(row.changeWh ?? 0) : null;
          break;
        case 'last_reset':
          value.last_reset = null;
          break;
      }
    }
    return value;
  }
}

const kwh = (wh: number) => wh / 1000;
const round3 = (value: number | undefined) => (value === undefined ? null : Math.round(value * 1000) / 1000);
