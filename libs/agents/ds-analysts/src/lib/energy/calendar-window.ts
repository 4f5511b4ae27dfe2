import { AgentError, calendarPeriodLabel, MONTH_NAMES, YEAR_MONTH_PATTERN, type CalendarPeriod } from '@aether/core';
import type { LocalClock } from './local-clock';

/**
 * The instants a calendar period spans in an IANA time zone: from local midnight of its first day
 * to local midnight after its last day, or to `now` while it is still running. Local midnights
 * come from the tz database through Intl, so a day around a DST switch is 23 or 25 hours long.
 * A month by name is the latest one that has begun ("november" in January is last year's); a
 * month that has not begun yet is refused.
 */
export function calendarWindow(period: CalendarPeriod, now: Date, clock: LocalClock): { start: Date; end: Date } {
  const today = localDate(now, clock);
  const day = (offset: number) => addDays(today, offset);
  const weekday = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7; // Monday = 0
  const firstOfMonth = (monthOffset: number) => addMonths(today, monthOffset);
  const month = monthOf(period, today);
  const [from, to] = (() => {
    if (month) return [month, addMonths(month, 1)];
    switch (period) {
      case 'today':
        return [today, day(1)];
      case 'yesterday':
        return [day(-1), today];
      case 'this_week':
        return [day(-weekday), day(7 - weekday)];
      case 'last_week':
        return [day(-weekday - 7), day(-weekday)];
      case 'this_month':
        return [firstOfMonth(0), firstOfMonth(1)];
      case 'last_month':
        return [firstOfMonth(-1), firstOfMonth(0)];
      case 'this_year':
        return [{ y: today.y, m: 1, d: 1 }, { y: today.y + 1, m: 1, d: 1 }];
      case 'last_year':
        return [{ y: today.y - 1, m: 1, d: 1 }, { y: today.y, m: 1, d: 1 }];
      default:
        throw new AgentError('invalid_input', `Unknown calendar period ${JSON.stringify(period)}.`, 'ds-analysts');
    }
  })();
  const start = localMidnight(from, clock);
  const end = localMidnight(to, clock);
  if (start.getTime() >= now.getTime()) {
    throw new AgentError('invalid_input', `${calendarPeriodLabel(period)} has not begun yet in the home's time zone (${clock.timeZone}): there is nothing to analyse.`, 'ds-analysts');
  }
  return { start, end: end.getTime() > now.getTime() ? now : end };
}

/** The first day of the month a period names (by name: the latest such month that has begun), else undefined. */
function monthOf(period: CalendarPeriod, today: LocalDate): LocalDate | undefined {
  const given = YEAR_MONTH_PATTERN.exec(period);
  if (given) return { y: Number(given[1]), m: Number(given[2]), d: 1 };
  const index = (MONTH_NAMES as readonly string[]).indexOf(period);
  if (index < 0) return undefined;
  return { y: index + 1 <= today.m ? today.y : today.y - 1, m: index + 1, d: 1 };
}

/** The first day of the month `months` after the one of the given day. */
function addMonths({ y, m }: LocalDate, months: number): LocalDate {
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  return { y: first.getUTCFullYear(), m: first.getUTCMonth() + 1, d: 1 };
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

function localDate(instant: Date, clock: LocalClock): LocalDate {
  const [y, m, d] = clock.at(instant.getTime()).date.split('-').map(Number);
  return { y, m, d };
}

function addDays({ y, m, d }: LocalDate, days: number): LocalDate {
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** The first instant of a local day (00:00, or the first time after it where a DST jump skips midnight). */
function localMidnight({ y, m, d }: LocalDate, clock: LocalClock): Date {
  const wall = Date.UTC(y, m - 1, d);
  let instant = wall - clock.offsetAt(wall);
  // The offset at the guess may differ from the offset at midnight itself (a switch in between).
  const corrected = wall - clock.offsetAt(instant);
  if (corrected !== instant && localDate(new Date(corrected), clock).d === d) instant = corrected;
  return new Date(instant);
}
