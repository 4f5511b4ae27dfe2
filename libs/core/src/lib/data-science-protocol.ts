import { AgentError } from './agent-contract';
import type { AgentName } from './agent-names';

/**
 * The structured input of the data science team (`AgentRequest.data`), read by the DS Orchestrator
 * (`{ hours? | period?, specialists? }`) and by the analysts (`{ specialist, hours? | period?, query? }`). Values come
 * from a model's tool call or from another process, so each is checked where it is read: a wrong
 * one is refused as `invalid_input` naming the field, never clamped or ignored in silence.
 */
export const SPECIALISTS = ['behavioral', 'diagnostic', 'energy'] as const;
export type Specialist = (typeof SPECIALISTS)[number];

/** An analysis window, in hours ending now. */
export const ANALYSIS_WINDOW_HOURS = { min: 1, max: 720 } as const;

export function isSpecialist(value: unknown): value is Specialist {
  return typeof value === 'string' && (SPECIALISTS as readonly string[]).includes(value);
}

/** `data.hours`: absent (undefined), or a number of hours within `ANALYSIS_WINDOW_HOURS`, rounded to whole hours. */
export function readWindowHours(data: Record<string, unknown> | undefined, agent: AgentName): number | undefined {
  const value = data?.['hours'];
  if (value === undefined || value === null) return undefined;
  const { min, max } = ANALYSIS_WINDOW_HOURS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new AgentError('invalid_input', `data.hours must be a number of hours from ${min} to ${max}, got ${shown(value)}.`, agent);
  }
  return Math.round(value);
}

/**
 * Calendar periods in the home's time zone, resolved in code by the analyst that knows the zone
 * (a model told "yesterday" must not compute the dates itself). Weeks start on Monday (ISO 8601);
 * a period that is still running ends now.
 */
export const CALENDAR_PERIODS = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month'] as const;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];

/** "last week" for `last_week`: how reports and status lines name a period. */
export function calendarPeriodLabel(period: CalendarPeriod): string {
  return period.replace('_', ' ');
}

/**
 * `data.period`: absent (undefined), or one of `CALENDAR_PERIODS`. A window is given one way:
 * `data.hours` and `data.period` together are refused.
 */
export function readCalendarPeriod(data: Record<string, unknown> | undefined, agent: AgentName): CalendarPeriod | undefined {
  const value = data?.['period'];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(CALENDAR_PERIODS as readonly string[]).includes(value)) {
    throw new AgentError('invalid_input', `data.period must be one of ${CALENDAR_PERIODS.join(', ')}, got ${shown(value)}.`, agent);
  }
  if (data?.['hours'] !== undefined && data['hours'] !== null) {
    throw new AgentError('invalid_input', 'Give the analysis window as data.hours or as data.period, not both.', agent);
  }
  return value as CalendarPeriod;
}

/** `data.specialists`: absent (undefined), or a non-empty list of known specialists (duplicates dropped). */
export function readSpecialists(data: Record<string, unknown> | undefined, agent: AgentName): Specialist[] | undefined {
  const value = data?.['specialists'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isSpecialist)) {
    throw new AgentError(
      'invalid_input',
      `data.specialists must be a non-empty list of ${SPECIALISTS.join(', ')}, got ${shown(value)}.`,
      agent,
    );
  }
  return SPECIALISTS.filter((specialist) => value.includes(specialist));
}

/** The offending value in an error message (any value: BigInts and cycles included). */
function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
