import { AgentError, readFindings, SPECIALIST_MAX_WINDOW_HOURS, type AgentEvent, type CalendarPeriod } from '@aether/core';
import { HomeAssistantError, type HaEntityState, type HaStatisticsResult, type HomeAssistantClient } from '@aether/home-assistant';
import type { AnalysisPool } from '../analysis-pool/analysis-pool';
import { analysisWindow, callHomeAssistant, status, throwIfAborted } from '../analyst-steps';
import type { EnergyAnalysisInput, EnergyAnalysisOutput, ReusableHistory } from './energy-analysis.task';
import { energyCharts } from './energy-charts';
import { formatEnergyReport } from './energy-report.format';
import { selectEnergySensors, type EnergySensor } from './energy-sensors';
import type { StatisticsPart } from './energy-statistics';
import type { ConsumptionDelta } from './meter-consumption';

export const DEFAULT_ENERGY_WINDOW_HOURS = 24;
export const MAX_ENERGY_WINDOW_HOURS = SPECIALIST_MAX_WINDOW_HOURS.energy;
const HOUR_MS = 3_600_000;

export interface EnergyAnalysisParams {
  /** Length of the window ending now; clamped to 1..MAX_ENERGY_WINDOW_HOURS (a year), default 24. */
  hours?: number;
  /** A calendar period in the home's time zone instead (`hours` is then ignored). */
  period?: CalendarPeriod;
  /** The question being answered, echoed in the result. */
  query?: string;
}

/**
 * The energy specialist: reads meter histories from Home Assistant and computes consumption
 * figures in code (never by a model), then reports them as text tokens, charts (`image` events:
 * per day or month, and by hour of day) and a `result` event.
 * Parsing the history (megabytes for a month) and computing run in a worker thread of the
 * analysis pool, so the service keeps answering while it works.
 */
export class EnergyAnalyst {
  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly analysisPool: AnalysisPool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *analyse(params: EnergyAnalysisParams, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throwIfAborted(signal, 'energy analysis');
    // One `now` for the whole analysis: the window in the report is exactly the one queried.
    const now = this.now();

    yield status('energy analyst reading the energy configuration from Home Assistant…');
    const [config, prefs, states] = await callHomeAssistant(() =>
      Promise.all([this.homeAssistant.getConfig(), this.homeAssistant.getEnergyPrefs(), this.homeAssistant.getStates()]),
    );
    throwIfAborted(signal, 'energy analysis');

    const selection = selectEnergySensors(prefs, states);
    const { start, end, hours, text: windowText, clock, fellBack } = analysisWindow({ hours: clampHours(params.hours), period: params.period, maxHours: MAX_ENERGY_WINDOW_HOURS }, config, now);
    if (selection.sensors.length === 0) {
      const skipped = selection.skipped.map((s) => `${s.entityId} (${s.reason})`).join('; ');
      yield* emitLines([
        'No energy meters found in Home Assistant: neither an Energy configuration (Settings → Dashboards → Energy) nor sensors with device_class energy in Wh, kWh or MWh.',
        ...(skipped ? [`Not analysed: ${skipped}`] : []),
      ]);
      yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'energy', query: params.query ?? '', sensors: [], findings: [] } };
      return;
    }

    const entityIds = selection.sensors.map((s) => s.entityId);
    yield status(`energy analyst reading ${windowText} of history for ${entityIds.length} meter(s)…`);
    const prices = await this.readPrices(selection.sensors, states, start, end);
    throwIfAborted(signal, 'energy analysis');
    const base = { entityIds, sensors: selection.sensors, end: end.getTime(), timeZone: clock.timeZone, prices, currency: config.currency ?? null };
    let report = await this.analyseHistory({ ...base, start: start.getTime(), hours }, signal);

    // HA purges history after `purge_keep_days` (10 by default): when it starts later than asked,
    // or the window holds none at all (a month last year), say so, and complete the rest from
    // hourly long-term statistics if HA has them — never average over time the data does not cover.
    const historyFrom = report.historyFrom;
    if (historyFrom === null || historyFrom > start.getTime()) {
      const boundary = historyFrom === null ? Math.floor(end.getTime() / HOUR_MS) * HOUR_MS : Math.ceil(historyFrom / HOUR_MS) * HOUR_MS;
      yield status(
        historyFrom === null
          ? 'energy analyst: Home Assistant has no history for this window; reading hourly long-term statistics…'
          : 'energy analyst: history starts later than asked; reading hourly long-term statistics for the rest…',
      );
      const statistics =
        boundary > start.getTime() && boundary <= end.getTime() ? await this.readStatistics(entityIds, selection.sensors, start, new Date(boundary)) : null;
      throwIfAborted(signal, 'energy analysis');
      // Without history and without statistics there is nothing else to read: the figures stay empty.
      const historyStart = statistics ? boundary : historyFrom;
      if (historyStart !== null) {
        // HA's first answer holds everything from `historyStart` on for most meters: analysed again, not asked for again.
        report = await this.analyseHistory(
          { ...base, start: historyStart, hours: Math.round((end.getTime() - historyStart) / 36_000) / 100, shortfall: { requestedStart: start.getTime(), statistics } },
          signal,
          report.reusable,
        );
      }
    }
    const { figures } = report;
    // Checked before they leave: the worker's output crossed a thread boundary as plain data.
    const findings = readFindings(report.findings, 'ds-analysts', 'the energy analyst');
    yield* emitLines(
      formatEnergyReport({
        figures,
        findings,
        sensorSource: selection.source,
        skipped: selection.skipped,
        ...(fellBack && config.time_zone ? { unknownTimeZone: config.time_zone } : {}),
      }),
    );
    yield* energyCharts(figures);
    yield {
      type: 'result',
      agent: 'ds-analysts',
      data: { specialist: 'energy', query: params.query ?? '', sensorSource: selection.source, skipped: selection.skipped, ...figures, findings },
    };
  }

  /**
   * The states of the entities grid meters are priced by (tariff sensors, `input_number` helpers)
   * over the window, as [epoch ms, price per kWh]: HA prices each reading at the price then.
   */
  private async readPrices(sensors: readonly EnergySensor[], states: readonly HaEntityState[], start: Date, end: Date): Promise<Record<string, Array<[number, number]>>> {
    const ids = [...new Set(sensors.flatMap((s) => (s.price && 'entityId' in s.price ? [s.price.entityId] : [])))];
    if (ids.length === 0) return {};
    const history = await callHomeAssistant(() => this.homeAssistant.getHistory({ start, end, entityIds: ids, minimalResponse: true, noAttributes: true }));
    const perKwhFactor = (id: string) => priceUnitToPerKwh(states.find((s) => s.entity_id === id)?.attributes['unit_of_measurement']);
    return Object.fromEntries(
      history.map((series, i) => {
        const id = series[0]?.entity_id ?? ids[i];
        const factor = perKwhFactor(id);
        const points = series
          .map((row): [number, number] => [Date.parse(row.last_changed), Number(row.state) * factor])
          .filter(([at, price], j) => Number.isFinite(at) && Number.isFinite(price) && series[j].state.trim() !== '');
        return [id, points];
      }),
    );
  }

  /**
   * Computes the figures for the input's window in the analysis pool, from HA's history for the window, or from its
   * answer for an earlier start (`earlier`) where that holds each meter's state at the window's start.
   */
  private async analyseHistory(
    window: Omit<EnergyAnalysisInput, 'history' | 'refreshed'>,
    signal: AbortSignal,
    earlier?: ReusableHistory,
  ): Promise<Extract<EnergyAnalysisOutput, { ok: true }>> {
    const read = (entityIds: string[]) =>
      callHomeAssistant(() =>
        this.homeAssistant.getRawHistory({ start: new Date(window.start), end: new Date(window.end), entityIds, minimalResponse: true, noAttributes: true }),
      );
    // A meter whose first row in the earlier answer is after the start (unchanged since HA's purge cutoff until
    // then): the state it had at the start is HA's to say, so only those are asked for again.
    const stale = earlier ? window.entityIds.filter((entityId) => (earlier.seriesFrom[entityId] ?? Infinity) > window.start) : window.entityIds;
    const input: EnergyAnalysisInput =
      earlier && stale.length < window.entityIds.length
        ? { ...window, history: earlier.history, ...(stale.length > 0 ? { refreshed: { entityIds: stale, history: await read(stale) } } : {}) }
        : // Nothing to reuse (no earlier answer, or one holding no meter's state at the start): HA's answer for the window.
          { ...window, history: await read(window.entityIds) };
    throwIfAborted(signal, 'energy analysis');
    const report = await this.analysisPool
      .run<EnergyAnalysisInput, EnergyAnalysisOutput>('energy-analysis', 'analyseEnergyHistory', input, {
        signal,
        transfer: [...transferable(input.history), ...(input.refreshed ? transferable(input.refreshed.history) : [])],
      })
      .catch((error: unknown) => {
        throwIfAborted(signal, 'energy analysis');
        throw error;
      });
    if (!report.ok) {
      const message = `Home Assistant at ${this.homeAssistant.baseUrl} gave an unexpected answer to GET /api/history/period: ${report.problem}`;
      throw new AgentError('upstream_error', message, 'ds-analysts');
    }
    return report;
  }

  /**
   * Hourly kWh per meter from `recorder/statistics_during_period` over [start, end); null when HA
   * has none for them (statistics not recorded, or the call refused).
   */
  private async readStatistics(entityIds: string[], sensors: readonly EnergySensor[], start: Date, end: Date): Promise<StatisticsPart | null> {
    let result: HaStatisticsResult;
    try {
      result = await this.homeAssistant.getStatisticsDuringPeriod({ start, end, statisticIds: entityIds, period: 'hour', types: ['change'], units: { energy: 'kWh' } });
    } catch (error) {
      if (error instanceof HomeAssistantError) return null;
      throw error;
    }
    const hourly: Record<string, ConsumptionDelta[]> = {};
    const readings: Record<string, number> = {};
    let first = Infinity;
    for (const sensor of sensors) {
      const rows = (result[sensor.entityId] ?? []).filter((row) => row.start >= start.getTime() && row.end <= end.getTime() && typeof row.change === 'number');
      if (rows.length === 0) continue;
      first = Math.min(first, rows[0].start);
      // HA's hourly change as it is, a negative one (a dip) included: the sum then matches HA's. An
      // hour of no change adds nothing, but it is a reading (a meter the battery leaves at 0 is not silent).
      hourly[sensor.entityId] = rows.filter((row) => row.change !== 0).map((row) => ({ at: row.start, kwh: row.change as number }));
      readings[sensor.entityId] = rows.length;
    }
    return Number.isFinite(first) ? { start: first, end: end.getTime(), hourly, readings } : null;
  }
}

export function clampHours(hours: number | undefined): number {
  if (hours === undefined || !Number.isFinite(hours)) return DEFAULT_ENERGY_WINDOW_HOURS;
  return Math.min(MAX_ENERGY_WINDOW_HOURS, Math.max(1, hours));
}

/** The bytes' buffer, when they own all of it (a view into a shared or larger buffer is copied instead). */
function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

/** The report is computed, not generated: it streams line by line. */
function* emitLines(lines: string[]): Generator<AgentEvent> {
  for (const line of lines) yield { type: 'token', agent: 'ds-analysts', content: `${line}\n` };
}

/** A price entity's unit ("EUR/kWh", "€/MWh", "ct/Wh"…) as the factor to a price per kWh; per kWh when it says nothing else. */
export function priceUnitToPerKwh(unit: unknown): number {
  const per = typeof unit === 'string' ? /\/\s*([kMG]?Wh)\s*$/.exec(unit)?.[1] : undefined;
  return per === 'Wh' ? 1000 : per === 'MWh' ? 0.001 : per === 'GWh' ? 0.000001 : 1;
}
