import { LocalClock, type LocalTime } from './local-clock';

describe('LocalClock', () => {
  it('maps instants to the local day and hour of the zone', () => {
    const dublin = new LocalClock('Europe/Dublin');
    // Winter: Irish time is UTC.
    expect(dublin.at(Date.parse('2026-11-27T23:30:00Z'))).toEqual({ date: '2026-11-27', hour: 23, quarterMinute: 30 });
    // Summer: Irish Standard Time is UTC+1, so 23:30 UTC is already the next local day.
    expect(dublin.at(Date.parse('2026-07-14T23:30:00Z'))).toEqual({ date: '2026-07-15', hour: 0, quarterMinute: 30 });
    expect(new LocalClock('Asia/Kolkata').at(Date.parse('2026-07-14T18:29:00Z'))).toEqual({ date: '2026-07-14', hour: 23, quarterMinute: 45 });
    expect(new LocalClock('Asia/Kolkata').at(Date.parse('2026-07-14T18:30:00Z'))).toEqual({ date: '2026-07-15', hour: 0, quarterMinute: 0 });
  });

  it('counts the hours of a window per local clock hour', () => {
    const covered = new LocalClock('Europe/Dublin').hoursPerClockHour(Date.parse('2026-11-27T12:00:00Z'), Date.parse('2026-11-28T12:30:00Z'));
    expect(covered[12]).toBeCloseTo(1.5);
    expect(covered[0]).toBeCloseTo(1);
    expect(covered.reduce((a, b) => a + b, 0)).toBeCloseTo(24.5);
  });

  it('gives the local minute of the day, also in zones with half-hour offsets', () => {
    expect(new LocalClock('Europe/Dublin').minuteOfDay(Date.parse('2026-07-14T18:05:30Z'))).toBe(19 * 60 + 5.5);
    expect(new LocalClock('Asia/Kolkata').minuteOfDay(Date.parse('2026-07-14T18:29:00Z'))).toBe(23 * 60 + 59);
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    const { clock, fellBack } = LocalClock.forZone('Mars/Olympus_Mons');
    expect(fellBack).toBe(true);
    expect(clock.timeZone).toBe('UTC');
    expect(LocalClock.forZone('Europe/Dublin').fellBack).toBe(false);
  });

  it('lists only the clock hours a window holds whole, also in zones with half-hour offsets', () => {
    const dublin = new LocalClock('Europe/Dublin').fullClockHours(Date.parse('2026-11-27T12:53:00Z'), Date.parse('2026-11-28T12:53:00Z'));
    expect(dublin).toHaveLength(23);
    expect(dublin[0]).toEqual({ date: '2026-11-27', hour: 13, quarterMinute: 0 });
    expect(dublin[dublin.length - 1]).toEqual({ date: '2026-11-28', hour: 11, quarterMinute: 0 });

    // 18:30Z is 00:00 in Kolkata (UTC+5:30): [18:00Z, 20:00Z) holds 00:00–01:00 whole, not 23:00 or 01:00.
    expect(new LocalClock('Asia/Kolkata').fullClockHours(Date.parse('2026-07-14T18:00:00Z'), Date.parse('2026-07-14T20:00:00Z'))).toEqual([
      { date: '2026-07-15', hour: 0, quarterMinute: 0 },
    ]);
  });

  it('leaves out the clock hour repeated when daylight saving time ends', () => {
    // Dublin falls back at 02:00 IST (01:00Z) on 2026-10-25: 01:00–02:00 local happens twice.
    const hours = new LocalClock('Europe/Dublin').fullClockHours(Date.parse('2026-10-24T23:00:00Z'), Date.parse('2026-10-25T03:00:00Z'));
    expect(hours.map((h) => h.hour)).toEqual([0, 2]);
  });

  it('agrees with Intl at every quarter hour it samples over two years and every one around each switch, in zones with odd offsets and steps', () => {
    const quarter = 15 * 60_000;
    const offset = (local: LocalTime, at: number) => Date.parse(`${local.date}T${String(local.hour).padStart(2, '0')}:${String(local.quarterMinute).padStart(2, '0')}:00Z`) - at;
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2027-01-01T00:00:00Z');
    // DST of an hour, of half an hour (Lord Howe), at +12:45 (Chatham), suspended for Ramadan (Casablanca), none at +5:45 (Kathmandu).
    for (const zone of ['Europe/Dublin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Africa/Casablanca', 'Asia/Kathmandu']) {
      const clock = new LocalClock(zone);
      const intl = intlLocalTime(zone);
      const differences: string[] = [];
      const check = (slot: number) => {
        const expected = intl(slot);
        const actual = clock.at(slot);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${new Date(slot).toISOString()}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
        return expected;
      };
      let switches = 0;
      let previous = check(from);
      // Every 7th quarter hour (7 and 96 have no common factor: every time of day is visited)…
      for (let slot = from + 7 * quarter; slot < to; slot += 7 * quarter) {
        const current = check(slot);
        // …and every one since the last sample where the offset changed in between.
        if (offset(current, slot) !== offset(previous, slot - 7 * quarter)) {
          switches += 1;
          for (let between = slot - 6 * quarter; between < slot; between += quarter) check(between);
        }
        previous = current;
      }
      expect({ zone, differences }).toEqual({ zone, differences: [] });
      // Each DST zone switches twice a year (Casablanca's Ramadan switches come from the runtime's tz data).
      if (zone === 'Asia/Kathmandu') expect(switches).toBe(0);
      else expect({ zone, atLeastFour: switches >= 4 }).toEqual({ zone, atLeastFour: true });
    }
  });
});

/** The local time of a quarter-hour slot as Intl formats it (what LocalClock must agree with). */
function intlLocalTime(timeZone: string): (instant: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (instant) => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, hour: Number(parts['hour']), quarterMinute: Number(parts['minute']) };
  };
}
