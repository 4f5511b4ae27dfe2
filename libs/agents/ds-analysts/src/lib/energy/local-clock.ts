/** Where an instant falls on the local calendar. */
export interface LocalTime {
  /** Local calendar day, YYYY-MM-DD. */
  date: string;
  /** Local clock hour, 0–23. */
  hour: number;
  /** Local minute of the hour at the start of the instant's UTC quarter hour: 0, 15, 30 or 45. */
  quarterMinute: number;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A UTC day's offsets from UTC (ms): `before` until `switchAt`, `after` from then on. */
interface DayOffsets {
  before: number;
  after: number;
  switchAt: number;
}

/**
 * Maps instants to the local calendar day and clock hour of one IANA time zone (Home Assistant's
 * configured zone), using the runtime's Intl data so DST rules come from the tz database.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  // Every UTC offset and DST switch in the tz database falls on a quarter hour, so the local day
  // and hour are constant within a UTC quarter-hour slot: caching per slot is exact.
  private readonly cache = new Map<number, LocalTime>();
  /**
   * Each UTC day's offsets, by the day's start. Intl has no "offset at" call and formatting every
   * quarter hour of a year took ~220 ms per 365-day analysis (35,040 `formatToParts`), so the offset
   * is read from Intl at day starts and around a switch only, and a slot's local time is arithmetic.
   * This assumes what the tz database holds: no zone switches twice within a day (a switch undone
   * the same day would go unseen). A day whose switch does not land on the next day's offset asks
   * Intl at every instant (null).
   */
  private readonly days = new Map<number, DayOffsets | null>();
  private readonly dayStartOffsets = new Map<number, number>();

  /** Throws RangeError when the runtime does not know the zone. */
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** Clock for `timeZone`, or for UTC when the zone is unknown (the caller reports the fallback). */
  static forZone(timeZone: string | undefined): { clock: LocalClock; fellBack: boolean } {
    if (timeZone) {
      try {
        return { clock: new LocalClock(timeZone), fellBack: false };
      } catch {
        // Unknown zone name: fall through to UTC.
      }
    }
    return { clock: new LocalClock('UTC'), fellBack: true };
  }

  at(instant: number): LocalTime {
    const slot = Math.floor(instant / QUARTER_HOUR_MS);
    let local = this.cache.get(slot);
    if (!local) {
      local = this.compute(slot * QUARTER_HOUR_MS);
      this.cache.set(slot, local);
    }
    return local;
  }

  /** Local minutes since midnight (0–1439.99…) at `instant`: exact, since offsets are whole quarter hours. */
  minuteOfDay(instant: number): number {
    const local = this.at(instant);
    return local.hour * 60 + local.quarterMinute + (instant - Math.floor(instant / QUARTER_HOUR_MS) * QUARTER_HOUR_MS) / 60_000;
  }

  /**
   * How many hours of [start, end) fall into each local clock hour (index 0–23). Walks the window
   * in quarter-hour slots, which is exact for the reason given above.
   */
  hoursPerClockHour(start: number, end: number): number[] {
    const covered = new Array<number>(24).fill(0);
    for (let slot = Math.floor(start / QUARTER_HOUR_MS) * QUARTER_HOUR_MS; slot < end; slot += QUARTER_HOUR_MS) {
      const overlapMs = Math.min(end, slot + QUARTER_HOUR_MS) - Math.max(start, slot);
      if (overlapMs > 0) covered[this.at(slot).hour] += overlapMs / 3_600_000;
    }
    return covered;
  }

  /**
   * The local clock hours that lie wholly inside [start, end), in order: the hours a per-hour figure
   * can be read from without a window edge cutting it short. (A clock hour repeated when DST ends
   * spans eight quarters and is left out, as it is not one hour long.)
   */
  fullClockHours(start: number, end: number): LocalTime[] {
    const hours: LocalTime[] = [];
    let current: LocalTime | undefined;
    let quarters = 0;
    for (let slot = Math.ceil(start / QUARTER_HOUR_MS) * QUARTER_HOUR_MS; slot + QUARTER_HOUR_MS <= end; slot += QUARTER_HOUR_MS) {
      const local = this.at(slot);
      if (current && local.date === current.date && local.hour === current.hour) {
        quarters += 1;
        continue;
      }
      if (current && quarters === 4) hours.push(current);
      current = local;
      quarters = 1;
    }
    if (current && quarters === 4) hours.push(current);
    return hours;
  }

  /** The zone's offset from UTC at `instant`, in ms (local wall time = instant + offset). */
  offsetAt(instant: number): number {
    const dayStart = Math.floor(instant / DAY_MS) * DAY_MS;
    let day = this.days.get(dayStart);
    if (day === undefined) this.days.set(dayStart, (day = this.dayOffsets(dayStart)));
    if (day === null) return this.intlOffset(instant);
    return instant < day.switchAt ? day.before : day.after;
  }

  /** The local time at `instant`, the start of a quarter-hour slot. */
  private compute(instant: number): LocalTime {
    const local = new Date(instant + this.offsetAt(instant));
    return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), quarterMinute: local.getUTCMinutes() };
  }

  private dayOffsets(dayStart: number): DayOffsets | null {
    const before = this.dayStartOffset(dayStart);
    const after = this.dayStartOffset(dayStart + DAY_MS);
    if (before === after) return { before, after, switchAt: Infinity };
    // The first quarter hour on the new offset: the offset at `low` is `before`, at `high` it is not.
    let low = dayStart;
    let high = dayStart + DAY_MS;
    while (high - low > QUARTER_HOUR_MS) {
      const middle = low + Math.floor((high - low) / QUARTER_HOUR_MS / 2) * QUARTER_HOUR_MS;
      if (this.intlOffset(middle) === before) low = middle;
      else high = middle;
    }
    return this.intlOffset(high) === after ? { before, after, switchAt: high } : null;
  }

  private dayStartOffset(dayStart: number): number {
    let offset = this.dayStartOffsets.get(dayStart);
    if (offset === undefined) this.dayStartOffsets.set(dayStart, (offset = this.intlOffset(dayStart)));
    return offset;
  }

  /** The offset as Intl gives it: the local wall time at `instant` (to the minute) read as UTC, minus the instant's minute. */
  private intlOffset(instant: number): number {
    const minute = Math.floor(instant / 60_000) * 60_000;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(minute)) parts[part.type] = Number(part.value);
    return Date.UTC(parts['year'], parts['month'] - 1, parts['day'], parts['hour'], parts['minute']) - minute;
  }
}
