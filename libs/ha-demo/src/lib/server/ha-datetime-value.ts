import type { LocalCalendar } from '../time/local-calendar';

/**
 * A timezone-aware instant as templates see Python's `datetime`: prints like HA
 * (`2026-11-29 13:12:31.123000+00:00`) and offers the fields templates commonly use.
 */
export class HaDateTimeValue {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  private readonly offsetMinutes: number;

  constructor(
    readonly epochMs: number,
    calendar: LocalCalendar | undefined,
  ) {
    this.offsetMinutes = calendar ? calendar.offsetMinutes(epochMs) : 0;
    const wall = new Date(epochMs + this.offsetMinutes * 60_000);
    this.year = wall.getUTCFullYear();
    this.month = wall.getUTCMonth() + 1;
    this.day = wall.getUTCDate();
    this.hour = wall.getUTCHours();
    this.minute = wall.getUTCMinutes();
    this.second = wall.getUTCSeconds();
    this.microsecond = wall.getUTCMilliseconds() * 1000;
  }

  /** Monday = 0 … Sunday = 6, like Python. */
  weekday(): number {
    return (new Date(Date.UTC(this.year, this.month - 1, this.day)).getUTCDay() + 6) % 7;
  }

  isoweekday(): number {
    return this.weekday() + 1;
  }

  timestamp(): number {
    return this.epochMs / 1000;
  }

  isoformat(): string {
    return this.format('T');
  }

  date(): string {
    return `${this.year}-${pad(this.month)}-${pad(this.day)}`;
  }

  strftime(pattern: string): string {
    const codes: Record<string, string> = {
      Y: String(this.year),
      m: pad(this.month),
      d: pad(this.day),
      H: pad(this.hour),
      M: pad(this.minute),
      S: pad(this.second),
      f: String(this.microsecond).padStart(6, '0'),
      z: this.offset().replace(':', ''),
      '%': '%',
    };
    return pattern.replace(/%(.)/g, (match, code: string) => codes[code] ?? match);
  }

  toString(): string {
    return this.format(' ');
  }

  private format(separator: string): string {
    const fraction = this.microsecond > 0 ? `.${String(this.microsecond).padStart(6, '0')}` : '';
    return `${this.date()}${separator}${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${fraction}${this.offset()}`;
  }

  private offset(): string {
    const sign = this.offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(this.offsetMinutes);
    return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
