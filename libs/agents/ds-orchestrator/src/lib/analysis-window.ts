import { parseTimeWindowHours } from '@aether/llm';

export const DEFAULT_WINDOW_HOURS = 24;
export const MAX_WINDOW_HOURS = 720;

/** The analysis window: explicit `hours`, else the one named in the question, default 24; clamped to 1..720. */
export function resolveWindowHours(explicit: unknown, query: string): number {
  const hours = typeof explicit === 'number' && Number.isFinite(explicit) ? explicit : (parseTimeWindowHours(query) ?? DEFAULT_WINDOW_HOURS);
  return Math.min(MAX_WINDOW_HOURS, Math.max(1, Math.round(hours)));
}
