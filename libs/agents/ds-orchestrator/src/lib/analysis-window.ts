import { ANALYSIS_WINDOW_HOURS, calendarPeriodLabel, type CalendarPeriod } from '@aether/core';
import { namedCalendarPeriod, parseTimeWindowHours } from '@aether/llm';

export const DEFAULT_WINDOW_HOURS = 24;
export const MAX_WINDOW_HOURS = ANALYSIS_WINDOW_HOURS.max;

/** The window the team analyses: a number of hours ending now, or a calendar period of the home. */
export type AnalysisWindow = { hours: number } | { period: CalendarPeriod };

/**
 * The analysis window: the explicit `hours` or `period` (validated where they are read), else a
 * calendar period the question names (resolved in the home's zone by the analyst), else the
 * rolling window it names (clamped to the longest window, which the report states), default 24 h.
 */
export function resolveWindow(explicit: { hours?: number; period?: CalendarPeriod }, query: string): AnalysisWindow {
  if (explicit.hours !== undefined) return { hours: explicit.hours };
  if (explicit.period !== undefined) return { period: explicit.period };
  const period = namedCalendarPeriod(query);
  if (period) return { period };
  const named = parseTimeWindowHours(query) ?? DEFAULT_WINDOW_HOURS;
  return { hours: Math.min(ANALYSIS_WINDOW_HOURS.max, Math.max(ANALYSIS_WINDOW_HOURS.min, Math.round(named))) };
}

/** "168h", "yesterday": the window in a delegation line. */
export function windowSpan(window: AnalysisWindow): string {
  return 'period' in window ? calendarPeriodLabel(window.period) : `${window.hours}h`;
}

/** "168h window", "yesterday": the window as status lines and the team report name it. */
export function windowLabel(window: AnalysisWindow): string {
  return 'period' in window ? windowSpan(window) : `${windowSpan(window)} window`;
}
