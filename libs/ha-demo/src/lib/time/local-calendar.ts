import { SLOT_MS } from './slot-time';
import { floor } from './fast-math';

/** Wall-clock facts about a slot in the house's time zone, which drive all behaviour. */
export interface LocalSlotTime {
  /** Local calendar day as days since 1970-01-01 (local wall time). */
  day: number;
  /** Minutes since local midnight at the slot start (0–1439). */
  minuteOfDay: number;
  /** Local wall-clock minutes since 1970-01-01T00:00 local (day × 1440 + minuteOfDay). */
  wallMinute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 1 = 1 January … 366. */
  dayOfYear: number;
}

const HOUR_MS = 3_600_000;

/**
 * Converts slots to local wall time. UTC offsets come from Intl (the platform's tz database) and
 * are memoised per UTC hour, because the model asks for them hundreds of thousands of times and
 * offsets only change on the hour.
 */
export class LocalCalendar {
  private readonly offsetByUtcHour = new Map<number, number>();
  private readonly formatter: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  /** UTC offset in minutes (east positive) in effect at `epochMs`. */
  offsetMinutes(epochMs: number): number {
    const hour = floor(epochMs / HOUR_MS);
    let offset = this.offsetByUtcHour.get(hour);
    if (offset === undefined) {
      offset = this.lookupOffset(hour * HOUR_MS);
      this.offsetByUtcHour.set(hour, offset);
    }
    return offset;
  }

  at(slot: number): LocalSlotTime {
    const utcMs = slot * SLOT_MS;
    const wallMinute = floor(utcMs / 60_000) + this.offsetMinutes(utcMs);
    const day = floor(wallMinute / 1440);
    const minuteOfDay = wallMinute - day * 1440;
    return { day, minuteOfDay, wallMinute, weekday: weekdayOf(day), dayOfYear: dayOfYearOf(day) };
  }

  /** The UTC instant of a local wall-clock time without a zone (how HA reads naive timestamps). */
  wallTimeToEpochMs(wallAsUtcMs: number): number {
    // Two passes settle the offset except inside a DST gap, where either side is acceptable.
    let epochMs = wallAsUtcMs - this.offsetMinutes(wallAsUtcMs) * 60_000;
    epochMs = wallAsUtcMs - this.offsetMinutes(epochMs) * 60_000;
    return epochMs;
  }

  private lookupOffset(epochMs: number): number {
    const name = this.formatter.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
    if (!match) throw new Error(`Unexpected time zone offset "${name}" for ${this.timeZone}`);
    if (!match[1]) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === '-' ? -minutes : minutes;
  }
}

/** 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(weekday: number): boolean {
  return weekday === 0 || weekday === 6;
}

/** Day of the year (1–366) of a local day number (civil-from-days arithmetic; no Date objects in the hot path). */
export function dayOfYearOf(day: number): number {
  // Howard Hinnant's days_from_civil inverse, using a March-based year.
  const z = day + 719_468;
  const era = floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floor((dayOfEra - floor(dayOfEra / 1460) + floor(dayOfEra / 36_524) - floor(dayOfEra / 146_096)) / 365);
  const dayOfMarchYear = dayOfEra - (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
  const year = yearOfEra + era * 400 + (dayOfMarchYear >= 306 ? 1 : 0);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  // Day of year: March-based day → January-based.
  return dayOfMarchYear >= 306 ? dayOfMarchYear - 305 : dayOfMarchYear + 60 + (leap ? 1 : 0);
}
