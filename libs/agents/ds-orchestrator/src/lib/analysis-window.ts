import { ANALYSIS_WINDOW_HOURS, calendarPeriodLabel, type CalendarPeriod } from '@aether/core';
import { parseTimeWindowHours } from '@aether/llm';

export const DEFAULT_WINDOW_HOURS = 24;
export const MAX_WINDOW_HOURS = ANALYSIS_WINDOW_HOURS.max;

/** The window the team analyses: a number of hours ending now, or a calendar period of the home. */
export type AnalysisWindow = { hours: number } | { period: CalendarPeriod };

/**
 * Calendar periods named in a question. "last week" is the previous calendar week; "past week" or
 * "last 7 days" are rolling windows and stay with `parseTimeWindowHours`.
 */
const NAMED_PERIODS: ReadonlyArray<[RegExp, CalendarPeriod]> = [
  [/\b(?:so far )?today\b/i, 'today'],
  [/(?<!\bbefore\s)\byesterday\b/i, 'yesterday'],
  [/\bthis\s+week\b/i, 'this_week'],
  [/\blast\s+week\b/i, 'last_week'],
  [/\bthis\s+month\b/i, 'this_month'],
  [/\blast\s+month\b/i, 'last_month'],
];

/** The calendar period a question names, if exactly one. */
export function namedCalendarPeriod(query: string): CalendarPeriod | undefined {
  const named = NAMED_PERIODS.filter(([pattern]) => pattern.test(query)).map(([, period]) => period);
  return named.length === 1 ? named[0] : undefined;
}

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
