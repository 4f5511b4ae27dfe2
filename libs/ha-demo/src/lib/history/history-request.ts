import type { LocalCalendar } from '../time/local-calendar';
import { parseHaDatetime } from '../time/ha-datetime';
import { DAY_MS } from '../time/slot-time';

/** A parsed `GET /api/history/period[/<timestamp>]` request. */
export interface HistoryRequest {
  startMs: number;
  endMs: number;
  /** Lower-cased, de-duplicated, in the order asked for. */
  entityIds: string[];
  /** False with `skip_initial_state`: no synthetic row for the state at `start`. */
  includeStartTimeState: boolean;
  /** `significant_changes_only` (default on). The demo only records state changes, so both settings give the same rows. */
  significantChangesOnly: boolean;
  minimalResponse: boolean;
  noAttributes: boolean;
}

export type HistoryQuery = Record<string, string | undefined>;

export type HistoryRequestParse =
  | { kind: 'request'; request: HistoryRequest }
  /** The start is in the future: HA answers `[]`. */
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string };

/** HA's `valid_entity_id`: `<domain>.<object_id>` of lower-case letters, digits and single underscores. */
const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/**
 * Reads the request with the semantics of HA's `HistoryPeriodView`: the start defaults to one day
 * ago, the end to start + 1 day, `filter_entity_id` is required, flags count when merely present.
 */
export function parseHistoryRequest(
  timestamp: string | undefined,
  query: HistoryQuery,
  calendar: LocalCalendar,
  nowMs: number,
): HistoryRequestParse {
  let startMs = nowMs - DAY_MS;
  if (timestamp) {
    const parsed = parseHaDatetime(timestamp, calendar);
    if (parsed === null) return { kind: 'invalid', message: 'Invalid datetime' };
    startMs = parsed;
  }
  const filter = query['filter_entity_id'];
  if (!filter) return { kind: 'invalid', message: 'filter_entity_id is missing' };
  const entityIds = filter.trim().toLowerCase().split(',');
  if (entityIds.some((id) => !VALID_ENTITY_ID.test(id))) return { kind: 'invalid', message: 'Invalid filter_entity_id' };
  if (startMs > nowMs) return { kind: 'empty' };

  let endMs = startMs + DAY_MS;
  const endTime = query['end_time'];
  if (endTime) {
    const parsed = parseHaDatetime(endTime, calendar);
    if (parsed === null) return { kind: 'invalid', message: 'Invalid end_time' };
    endMs = parsed;
  }
  return {
    kind: 'request',
    request: {
      startMs,
      endMs,
      entityIds: [...new Set(entityIds)],
      includeStartTimeState: !('skip_initial_state' in query),
      significantChangesOnly: (query['significant_changes_only'] ?? '1') !== '0',
      minimalResponse: 'minimal_response' in query,
      noAttributes: 'no_attributes' in query,
    },
  };
}
