import { AgentError, calendarPeriodLabel, type AgentEvent, type CalendarPeriod } from '@aether/core';
import { HomeAssistantError, type HaCoreConfig } from '@aether/home-assistant';
import { calendarWindow } from './energy/calendar-window';
import { LocalClock } from './energy/local-clock';

/** Runs a Home Assistant call for an analyst: HA's failures become the analyst's `upstream_error`, in HA's words. */
export async function callHomeAssistant<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HomeAssistantError) throw new AgentError('upstream_error', error.message, 'ds-analysts');
    throw error;
  }
}

/** Stops an analysis whose caller went away, naming it ("the energy analysis"). */
export function throwIfAborted(signal: AbortSignal, analysis: string): void {
  if (signal.aborted) throw new AgentError('cancelled', `The ${analysis} was cancelled.`, 'ds-analysts');
}

/** A progress line of an analyst. */
export function status(content: string): AgentEvent {
  return { type: 'status', agent: 'ds-analysts', content };
}

/** The window an analyst reads, on the home's clock. */
export interface AnalysisWindow {
  start: Date;
  end: Date;
  /** Its length, two decimals at most: a running period ("today") is not a whole number of hours. */
  hours: number;
  /** "168 h", "last week (168 h)": how status lines name it. */
  text: string;
  clock: LocalClock;
  /** HA's time zone was unknown and UTC is used (the report says so). */
  fellBack: boolean;
}

/**
 * A calendar period in HA's time zone, else `hours` (the analyst's default already applied) ending
 * `now`; no longer than `maxHours` (the analyst's bound): a longer one keeps its last `maxHours`.
 */
export function analysisWindow(params: { hours: number; period?: CalendarPeriod; maxHours: number }, config: HaCoreConfig, now: Date): AnalysisWindow {
  const { clock, fellBack } = LocalClock.forZone(config.time_zone);
  const asked = params.period ? calendarWindow(params.period, now, clock) : { start: new Date(now.getTime() - Math.min(params.hours, params.maxHours) * 3_600_000), end: now };
  const { end } = asked;
  const shortened = end.getTime() - asked.start.getTime() > params.maxHours * 3_600_000;
  const start = shortened ? new Date(end.getTime() - params.maxHours * 3_600_000) : asked.start;
  const hours = Math.round((end.getTime() - start.getTime()) / 36_000) / 100;
  const label = params.period ? calendarPeriodLabel(params.period) : undefined;
  const text = label ? (shortened ? `the last ${hours} h of ${label}` : `${label} (${hours} h)`) : `${hours} h`;
  return { start, end, hours, text, clock, fellBack };
}
