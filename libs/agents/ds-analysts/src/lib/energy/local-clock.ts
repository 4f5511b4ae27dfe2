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

/**
 * Maps instants to the local calendar day and clock hour of one IANA time zone (Home Assistant's
 * configured zone), using the runtime's Intl data so DST rules come from the tz database.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  // Every UTC offset and DST switch in the tz database falls on a quarter hour, so the local day
  // and hour are constant within a UTC quarter-hour slot: caching per slot is exact and keeps
  // Intl formatting off the hot path of long histories.
  private readonly cache = new Map<number, LocalTime>();

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

  private compute(instant: number): LocalTime {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(instant)) parts[part.type] = part.value;
    return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, hour: Number(parts['hour']), quarterMinute: Number(parts['minute']) };
  }
}
