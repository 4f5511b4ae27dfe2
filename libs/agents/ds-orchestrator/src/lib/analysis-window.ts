import { ANALYSIS_WINDOW_HOURS, calendarPeriodLabel, SPECIALIST_MAX_WINDOW_HOURS, type CalendarPeriod, type Specialist } from '@aether/core';
import { namedCalendarPeriod, parseTimeWindowHours } from '@aether/llm';

/**
 * Each analyst's window when the question names none: energy answers for the last day; habits
 * and routines need weeks to show, so the behavioral analyst reads the longest window; a nightly
 * outage needs nights to show and a stale sensor a day of silence, so diagnostics read a week;
 * a custom analysis compares days, so it reads 30 of them.
 */
export const DEFAULT_WINDOW_HOURS: Readonly<Record<Specialist, number>> = { energy: 24, behavioral: SPECIALIST_MAX_WINDOW_HOURS.behavioral, diagnostic: 168, custom: 720 };

/** The window the team analyses: a number of hours ending now, or a calendar period of the home. */
export type AnalysisWindow = { hours: number } | { period: CalendarPeriod };

/**
 * The analysis window asked for: the explicit `hours` or `period` (validated where they are read),
 * else a calendar period the question names (resolved in the home's zone by the analyst), else the
 * rolling window it names (clamped to the longest window, which the report states); undefined
 * when none is named (each analyst then gets its default, see `windowFor`).
 */
export function resolveWindow(explicit: { hours?: number; period?: CalendarPeriod }, query: string): AnalysisWindow | undefined {
  if (explicit.hours !== undefined) return { hours: explicit.hours };
  if (explicit.period !== undefined) return { period: explicit.period };
  const period = namedCalendarPeriod(query);
  if (period) return { period };
  const named = parseTimeWindowHours(query);
  if (named === undefined) return undefined;
  return { hours: Math.min(ANALYSIS_WINDOW_HOURS.max, Math.max(ANALYSIS_WINDOW_HOURS.min, Math.round(named))) };
}

/** The window one specialist analyses: the one asked for (no longer than it reads), else its default. */
export function windowFor(window: AnalysisWindow | undefined, specialist: Specialist): AnalysisWindow {
  if (!window) return { hours: DEFAULT_WINDOW_HOURS[specialist] };
  return 'hours' in window ? { hours: Math.min(window.hours, SPECIALIST_MAX_WINDOW_HOURS[specialist]) } : window;
}

/** "168h", "yesterday": the window in a delegation line. */
export function windowSpan(window: AnalysisWindow): string {
  return 'period' in window ? calendarPeriodLabel(window.period) : `${window.hours}h`;
}

/** "168h window", "yesterday": the window as status lines and the team report name it. */
export function windowLabel(window: AnalysisWindow): string {
  return 'period' in window ? windowSpan(window) : `${windowSpan(window)} window`;
}

/** The team's window(s): one label when the specialists share it, else each one's ("behavioral 720h, energy 24h windows"). */
export function teamWindowLabel(window: AnalysisWindow | undefined, specialists: readonly Specialist[]): string {
  const spans = specialists.map((specialist) => windowSpan(windowFor(window, specialist)));
  if (new Set(spans).size <= 1) return windowLabel(windowFor(window, specialists[0]));
  return `${specialists.map((specialist, i) => `${specialist} ${spans[i]}`).join(', ')} windows`;
}
