import type { HaStatisticsPeriod } from '@aether/home-assistant';
import type { LocalCalendar } from '../time/local-calendar';
import { DAY_MS } from '../time/slot-time';
import { floor } from '../time/fast-math';

export const HOUR_MS = 3_600_000;

/**
 * Start of the local day/week (Monday)/month containing `epochMs`, as HA's recorder groups hourly
 * rows into longer periods in the configured time zone.
 */
export function periodStartMs(period: Exclude<HaStatisticsPeriod, '5minute' | 'hour'>, epochMs: number, calendar: LocalCalendar): number {
  const wall = epochMs + calendar.offsetMinutes(epochMs) * 60_000;
  let day = floor(wall / DAY_MS);
  if (period === 'week') day -= (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; weeks start on Monday
  if (period === 'month') {
    const date = new Date(day * DAY_MS);
    day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
  }
  return calendar.wallTimeToEpochMs(day * DAY_MS);
}

/** Start of the period after the one starting at `startMs`. */
export function nextPeriodStartMs(period: Exclude<HaStatisticsPeriod, '5minute' | 'hour'>, startMs: number, calendar: LocalCalendar): number {
  const wall = startMs + calendar.offsetMinutes(startMs) * 60_000;
  const day = floor(wall / DAY_MS);
  if (period === 'day') return calendar.wallTimeToEpochMs((day + 1) * DAY_MS);
  if (period === 'week') return calendar.wallTimeToEpochMs((day + 7) * DAY_MS);
  const date = new Date(day * DAY_MS);
  return calendar.wallTimeToEpochMs(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}
