import { LocalClock } from './local-clock';

describe('LocalClock', () => {
  it('maps instants to the local day and hour of the zone', () => {
    const dublin = new LocalClock('Europe/Dublin');
    // Winter: Irish time is UTC.
    expect(dublin.at(Date.parse('2026-11-27T23:30:00Z'))).toEqual({ date: '2026-11-27', hour: 23 });
    // Summer: Irish Standard Time is UTC+1, so 23:30 UTC is already the next local day.
    expect(dublin.at(Date.parse('2026-07-14T23:30:00Z'))).toEqual({ date: '2026-07-15', hour: 0 });
    expect(new LocalClock('Asia/Kolkata').at(Date.parse('2026-07-14T18:29:00Z'))).toEqual({ date: '2026-07-14', hour: 23 });
    expect(new LocalClock('Asia/Kolkata').at(Date.parse('2026-07-14T18:30:00Z'))).toEqual({ date: '2026-07-15', hour: 0 });
  });

  it('counts the hours of a window per local clock hour', () => {
    const covered = new LocalClock('Europe/Dublin').hoursPerClockHour(Date.parse('2026-11-27T12:00:00Z'), Date.parse('2026-11-28T12:30:00Z'));
    expect(covered[12]).toBeCloseTo(1.5);
    expect(covered[0]).toBeCloseTo(1);
    expect(covered.reduce((a, b) => a + b, 0)).toBeCloseTo(24.5);
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    const { clock, fellBack } = LocalClock.forZone('Mars/Olympus_Mons');
    expect(fellBack).toBe(true);
    expect(clock.timeZone).toBe('UTC');
    expect(LocalClock.forZone('Europe/Dublin').fellBack).toBe(false);
  });
});
