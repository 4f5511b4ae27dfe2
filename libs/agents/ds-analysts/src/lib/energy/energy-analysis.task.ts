import type { HaHistoryState } from '@aether/home-assistant';
import { historySchema } from '@aether/home-assistant/schemas';
import { deriveEnergyFindings, type EnergyFinding } from './energy-findings';
import type { EnergySensor } from './energy-sensors';
import { computeEnergyFigures, type EnergyFigures, type StatisticsPart } from './energy-statistics';
import { LocalClock } from './local-clock';

/** Everything the energy computation needs, as plain data a worker thread receives by structured clone. */
export interface EnergyAnalysisInput {
  /** HA's `/api/history/period` answer as UTF-8 JSON bytes (`HomeAssistantClient.getRawHistory`), transferred, not copied. */
  history: Uint8Array;
  /** The entity ids asked for, in request order (fallback for series that name no entity). */
  entityIds: string[];
  sensors: EnergySensor[];
  /** Epoch milliseconds. */
  start: number;
  end: number;
  hours: number;
  /** A zone the runtime knows (already resolved by `LocalClock.forZone`). */
  timeZone: string;
  /** History did not reach back to the requested start: what was asked for, and statistics for the part before `start` (epoch ms). */
  shortfall?: { requestedStart: number; statistics: StatisticsPart | null };
  /** Price entities' states as [epoch ms, price per kWh], oldest first. */
  prices?: Record<string, Array<[number, number]>>;
  currency?: string | null;
}

export type EnergyAnalysisOutput =
  /** `historyFrom`: the oldest instant any returned series starts at (null without history) — later than `start` when HA had purged the rest. */
  | { ok: true; figures: EnergyFigures; findings: EnergyFinding[]; historyFrom: number | null }
  /** HA's answer was not the history it should be: what was wrong with it. */
  | { ok: false; problem: string };

/**
 * The CPU-heavy part of an energy analysis — decoding, parsing and validating megabytes of meter history and
 * computing every figure and finding — as one task for a worker thread (energy-analysis.worker.ts).
 */
export function analyseEnergyHistory(input: EnergyAnalysisInput): EnergyAnalysisOutput {
  const text = new TextDecoder().decode(input.history);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: `not JSON: ${text.slice(0, 300)}` };
  }
  const checked = historySchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, problem: `${issue.path.join('.') || 'response'}: ${issue.message}` };
  }
  // The schema checked the shape; the original value keeps every field HA sent.
  const series = json as HaHistoryState[][];
  const firstRows = series.map((states) => Date.parse(states[0]?.last_changed ?? '')).filter(Number.isFinite);
  const start = new Date(input.start);
  const end = new Date(input.end);
  const figures = computeEnergyFigures({
    sensors: input.sensors,
    history: seriesByEntity(series, input.entityIds),
    start,
    end,
    hours: input.hours,
    clock: new LocalClock(input.timeZone),
    ...(input.shortfall ? { shortfall: { requestedStart: new Date(input.shortfall.requestedStart), statistics: input.shortfall.statistics } } : {}),
    ...(input.prices ? { prices: input.prices } : {}),
    currency: input.currency ?? null,
  });
  return { ok: true, figures, findings: deriveEnergyFindings(figures), historyFrom: firstRows.length > 0 ? Math.min(...firstRows) : null };
}

/**
 * HA returns one series per entity that has history, each starting with the state at `start`.
 * With `minimal_response` only the first state names its entity, so series are matched by that
 * id; a series without one falls back to the request order.
 */
function seriesByEntity(series: HaHistoryState[][], requested: string[]): Map<string, HaHistoryState[]> {
  const byEntity = new Map<string, HaHistoryState[]>();
  series.forEach((states, index) => {
    const entityId = states[0]?.entity_id ?? requested[index];
    if (entityId) byEntity.set(entityId, states);
  });
  return byEntity;
}
