import { promptClockLine } from './prompt-clock';

describe('promptClockLine', () => {
  const now = new Date('2026-12-04T18:17:00Z');

  it("gives the date and time in the home's zone, with its offset", () => {
    expect(promptClockLine(now, 'Europe/Amsterdam')).toBe('Current date and time at the home: Friday, 4 December 2026 at 19:17 GMT+01:00 (time zone Europe/Amsterdam).');
  });

  it('falls back to UTC, and says so, when the zone is unknown or missing', () => {
    expect(promptClockLine(now, 'Mars/Olympus')).toBe(
      "Current date and time at the home: Friday, 4 December 2026 at 18:17 GMT+00:00 (time zone UTC; the home did not give its own).",
    );
    expect(promptClockLine(now)).toContain('time zone UTC; the home did not give its own');
  });
});
