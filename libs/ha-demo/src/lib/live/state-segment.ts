import type { HaContext } from '@aether/home-assistant';

/**
 * A state written through the API (a service call or a config write) that overrides the model's
 * own state of one entity from `startMs` on.
 *
 * The rule: an override holds until the model's own (time-driven) state of that entity next
 * changes, like a light switched by hand that keeps its state until the household routine next
 * switches it; a later override of the same entity replaces it. `sticky` overrides (entities made
 * or edited by config writes) are never ended by the model.
 */
export interface StateSegment {
  entityId: string;
  startMs: number;
  state: string;
  attributes: Record<string, unknown>;
  /** When the state value last changed (earlier than `startMs` when only attributes changed). */
  lastChangedMs: number;
  context: HaContext;
  sticky: boolean;
  /** Once known: when the model's own state changed, or the next override began. */
  endMs?: number;
  /** The service that wrote it, for the logbook. */
  cause?: { domain: string; service: string };
}

/** One row of a merged history timeline. */
export interface TimelineRow {
  atMs: number;
  state: string;
  attributes: Record<string, unknown>;
}

/**
 * The entity's history in [fromMs, toMs): the model's rows (first one = state at its start) with
 * the overrides laid over them. A row is emitted where the effective state changes, and where an
 * override changed only attributes.
 */
export function mergeTimeline(baseRows: TimelineRow[], segments: StateSegment[], fromMs: number, toMs: number): TimelineRow[] {
  const points = new Set<number>([fromMs]);
  for (const row of baseRows) points.add(row.atMs);
  for (const segment of segments) {
    points.add(segment.startMs);
    if (segment.endMs !== undefined) points.add(segment.endMs);
  }
  const starts = new Set(segments.map((segment) => segment.startMs));
  const sorted = [...points].filter((at) => at >= fromMs && at < toMs).sort((a, b) => a - b);

  const rows: TimelineRow[] = [];
  for (const at of sorted) {
    const effective = effectiveAt(baseRows, segments, at);
    if (!effective) continue;
    const previous = rows[rows.length - 1];
    const changed =
      !previous || previous.state !== effective.state || (starts.has(at) && JSON.stringify(previous.attributes) !== JSON.stringify(effective.attributes));
    if (changed) rows.push({ atMs: at, state: effective.state, attributes: effective.attributes });
  }
  return rows;
}

function effectiveAt(baseRows: TimelineRow[], segments: StateSegment[], at: number): { state: string; attributes: Record<string, unknown> } | undefined {
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    if (segment.startMs <= at) {
      if (segment.endMs === undefined || at < segment.endMs) return segment;
      break;
    }
  }
  let base: TimelineRow | undefined;
  for (const row of baseRows) {
    if (row.atMs > at) break;
    base = row;
  }
  return base;
}
