import type { LocalCalendar } from './local-calendar';

/**
 * Formats an instant the way HA's JSON does (Python's `datetime.isoformat()` on a UTC datetime):
 * `2026-11-29T12:05:07.412000+00:00`, or without the fraction when it is zero.
 */
export function formatHaTimestamp(epochMs: number): string {
  // A history answer formats tens of thousands of instants, mostly of a few days: the date part is
  // formatted once per UTC day, the time of day by arithmetic (Date#toISOString was a seventh of
  // the demo home's time serving 10 days of meter history).
  const instant = Math.trunc(epochMs); // as Date keeps it
  const day = Math.floor(instant / DAY_MS);
  if (day !== formattedDay) {
    formattedDay = day;
    formattedDate = new Date(day * DAY_MS).toISOString().slice(0, 11); // 2026-11-29T
  }
  const ofDay = instant - day * DAY_MS;
  const seconds = Math.floor(ofDay / 1000);
  const millis = ofDay - seconds * 1000;
  const time = `${twoDigits(Math.floor(seconds / 3600))}:${twoDigits(Math.floor(seconds / 60) % 60)}:${twoDigits(seconds % 60)}`;
  return millis === 0 ? `${formattedDate}${time}+00:00` : `${formattedDate}${time}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}000+00:00`;
}

const DAY_MS = 86_400_000;
let formattedDay = Number.NaN;
let formattedDate = '';

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a timestamp like HA's `dt_util.parse_datetime` + `as_utc`: ISO 8601 with an optional
 * offset; a timestamp without one is wall time in HA's configured time zone. Hand-written because
 * `Date.parse` would read naive timestamps in the process's zone and accepts non-ISO text.
 * Returns null when the text is not a valid timestamp.
 */
export function parseHaDatetime(text: string, calendar: LocalCalendar): number | null {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const [year, month, day, hour, minute, second] = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number((fraction + '000').slice(0, 3));
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(wallAsUtc).getUTCDate() !== day) return null; // e.g. 31 April
  if (zone === undefined) return calendar.wallTimeToEpochMs(wallAsUtc);
  if (zone.toUpperCase() === 'Z') return wallAsUtc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return wallAsUtc - sign * offsetMinutes * 60_000;
}
