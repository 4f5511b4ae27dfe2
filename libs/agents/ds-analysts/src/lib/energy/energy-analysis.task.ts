import type { HaHistoryState } from '@aether/home-assistant';
import { historySchema } from '@aether/home-assistant/schemas';
import { deriveEnergyFindings, type EnergyFinding } from './energy-findings';
import type { EnergySensor } from './energy-sensors';
import { computeEnergyFigures, type EnergyFigures, type StatisticsPart } from './energy-statistics';
import { LocalClock } from './local-clock';

/** Everything the energy computation needs, as plain data a worker thread receives by structured clone. */
export interface EnergyAnalysisInput {
  /**
   * HA's `/api/history/period` answer as UTF-8 JSON bytes (`HomeAssistantClient.getRawHistory`), transferred, not copied.
   * It may be the answer for an earlier start, handed back by a first pass (`reusable`): rows before `start` are then
   * folded into the state in effect at `start`, as HA's own answer for this window opens.
   */
  history: Uint8Array;
  /**
   * With a reused `history`: HA's own answer for this window for the entities whose state at `start` the reused answer
   * does not hold (their first row there is later); their series come from here.
   */
  refreshed?: { entityIds: string[]; history: Uint8Array };
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
  /**
   * `historyFrom`: the oldest instant any returned series starts at (null without history) — later than `start` when HA had
   * purged the rest. Then `reusable` hands HA's answer back (a copy) with when each entity's series starts in it, so that
   * the caller, once it has read statistics for the part before, analyses the same answer again from a later start
   * instead of asking HA for it twice.
   */
  | { ok: true; figures: EnergyFigures; findings: EnergyFinding[]; historyFrom: number | null; reusable?: ReusableHistory }
  /** HA's answer was not the history it should be: what was wrong with it. */
  | { ok: false; problem: string };

/** HA's answer for an earlier start, and when each entity's series starts in it (epoch ms; entities without one absent). */
export interface ReusableHistory {
  history: Uint8Array;
  seriesFrom: Record<string, number>;
}

/**
 * The CPU-heavy part of an energy analysis — decoding, parsing and validating megabytes of meter history and
 * computing every figure and finding — as one task for a worker thread (energy-analysis.worker.ts).
 */
export function analyseEnergyHistory(input: EnergyAnalysisInput): EnergyAnalysisOutput {
  const answer = parseHistory(input.history);
  if (!answer.ok) return answer;
  const history = seriesByEntity(
    answer.series.map((states) => openingAt(states, input.start)),
    input.entityIds,
  );
  if (input.refreshed) {
    const refreshed = parseHistory(input.refreshed.history);
    if (!refreshed.ok) return refreshed;
    for (const entityId of input.refreshed.entityIds) history.delete(entityId);
    for (const [entityId, states] of seriesByEntity(refreshed.series, input.refreshed.entityIds)) history.set(entityId, states);
  }
  const seriesFrom: Record<string, number> = {};
  for (const [entityId, states] of history) {
    const at = Date.parse(states[0]?.last_changed ?? '');
    if (Number.isFinite(at)) seriesFrom[entityId] = at;
  }
  const firstRows = Object.values(seriesFrom);
  const figures = computeEnergyFigures({
    sensors: input.sensors,
    history,
    start: new Date(input.start),
    end: new Date(input.end),
    hours: input.hours,
    clock: new LocalClock(input.timeZone),
    ...(input.shortfall ? { shortfall: { requestedStart: new Date(input.shortfall.requestedStart), statistics: input.shortfall.statistics } } : {}),
    ...(input.prices ? { prices: input.prices } : {}),
    currency: input.currency ?? null,
  });
  const historyFrom = firstRows.length > 0 ? Math.min(...firstRows) : null;
  const shortOfStart = !input.shortfall && (historyFrom === null || historyFrom > input.start);
  return { ok: true, figures, findings: deriveEnergyFindings(figures), historyFrom, ...(shortOfStart ? { reusable: { history: input.history, seriesFrom } } : {}) };
}

/** HA's history answer decoded, parsed and checked (the schema names what is wrong). */
function parseHistory(bytes: Uint8Array): { ok: true; series: HaHistoryState[][] } | { ok: false; problem: string } {
  const text = new TextDecoder().decode(bytes);
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
  return { ok: true, series: json as HaHistoryState[][] };
}

/**
 * The series as HA answers for a window opening at `start`: its first row is the state in effect
 * at `start` (last_changed = start) and every later row a change after it. Rows before `start`
 * come only from an answer for an earlier start being reused; the last of them is the state in
 * effect at `start` (a change at exactly `start` included, as HA's start state includes it), and
 * keeps the series' entity id (with `minimal_response` only the first row names it).
 */
function openingAt(states: HaHistoryState[], start: number): HaHistoryState[] {
  let inEffect = -1;
  while (inEffect + 1 < states.length && Date.parse(states[inEffect + 1].last_changed) <= start) inEffect++;
  if (inEffect < 0 || (inEffect === 0 && Date.parse(states[0].last_changed) === start)) return states;
  const at = new Date(start).toISOString();
  const { entity_id } = states[0];
  const opening: HaHistoryState = { ...(entity_id === undefined ? {} : { entity_id }), state: states[inEffect].state, last_changed: at, last_updated: at };
  return [opening, ...states.slice(inEffect + 1)];
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
