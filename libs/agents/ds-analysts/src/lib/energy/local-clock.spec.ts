import { LocalClock } from './local-clock';

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
});
