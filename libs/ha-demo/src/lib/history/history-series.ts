import type { HaHistoryState } from '@aether/home-assistant';
import type { DemoEntity } from '../model/entities/demo-entity';
import { formatHaTimestamp } from '../time/ha-datetime';
import type { HistoryRequest } from './history-request';
import { max, min } from '../time/fast-math';

/** What history needs from a house: its entities and how far back its recorder keeps rows. */
export interface HistorySource {
  entity(entityId: string): DemoEntity | undefined;
  recordingStart(nowMs: number): number;
}

/**
 * The history HA's recorder would return for the request at `nowMs`:
 * - recorded history starts `historyDays` before now (older rows are purged), and nothing is
 *   recorded after now, so the window is clipped to [now − historyDays, now];
 * - each series starts with the state in effect at the window start (`last_changed` = start), then
 *   one row per state change strictly inside the window, oldest first;
 * - with `minimal_response` only the first row carries `entity_id`/`attributes`/`last_updated`;
 * - unknown entities (and entities without rows) are left out, the rest keep the requested order.
 */
export function buildHistory(house: HistorySource, request: HistoryRequest, nowMs: number): HaHistoryState[][] {
  const recordingStart = house.recordingStart(nowMs);
  const endMs = min(request.endMs, nowMs);
  if (endMs <= recordingStart) return [];
  // Before the oldest kept row the recorder knows no state at start: the series opens with the first
  // change it still has, as HA's does after a purge — no row is invented at the cutoff.
  const startMs = max(request.startMs, recordingStart);
  const withStartRow = request.includeStartTimeState && request.startMs >= recordingStart;

  const result: HaHistoryState[][] = [];
  for (const entityId of request.entityIds) {
    const entity = house.entity(entityId);
    if (!entity) continue;
    const series = entitySeries(entity, startMs, endMs, withStartRow, request);
    if (series.length > 0) result.push(series);
  }
  return result;
}

function entitySeries(entity: DemoEntity, startMs: number, endMs: number, withStartRow: boolean, request: HistoryRequest): HaHistoryState[] {
  const firstSlot = entity.slotShownAt(startMs);
  // Changes are reported at reportTimeOf(slot); rows must fall strictly before the end.
  const lastSlot = max(firstSlot, entity.slotShownAt(endMs - 1));
  const states = entity.statesForSlots(firstSlot, lastSlot);

  // One pass, straight to HA's rows: a 10-day answer for 15 meters is 14,000 rows, and objects made
  // on the way (and their garbage) were most of its cost.
  const rows: HaHistoryState[] = [];
  const push = (slot: number, state: string, at: number) => {
    const lastChanged = formatHaTimestamp(at);
    if (request.minimalResponse && rows.length > 0) {
      rows.push({ state, last_changed: lastChanged });
      return;
    }
    rows.push({
      entity_id: entity.entityId,
      state,
      attributes: request.noAttributes ? {} : entity.attributesForSlot(slot, state),
      last_changed: lastChanged,
      last_updated: lastChanged,
    });
  };
  if (withStartRow) push(firstSlot, states[0], startMs);
  for (let i = 1; i < states.length; i++) {
    if (states[i] === states[i - 1]) continue;
    const at = entity.reportTimeOf(firstSlot + i);
    if (at > startMs && at < endMs) push(firstSlot + i, states[i], at);
  }
  return rows;
}
