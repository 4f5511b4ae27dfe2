import { ANALYSIS_WINDOW_HOURS } from '@aether/core';
import { parseTimeWindowHours } from '@aether/llm';

export const DEFAULT_WINDOW_HOURS = 24;
export const MAX_WINDOW_HOURS = ANALYSIS_WINDOW_HOURS.max;

/**
 * The analysis window: the explicit `hours` (validated by `readWindowHours`), else the period named
 * in the question (clamped to the longest window, which the report states), default 24.
 */
export function resolveWindowHours(explicit: number | undefined, query: string): number {
  if (explicit !== undefined) return explicit;
  const named = parseTimeWindowHours(query) ?? DEFAULT_WINDOW_HOURS;
  return Math.min(ANALYSIS_WINDOW_HOURS.max, Math.max(ANALYSIS_WINDOW_HOURS.min, Math.round(named)));
}
