import { calendarWindow } from './calendar-window';
import { LocalClock } from './local-clock';

const iso = ({ start, end }: { start: Date; end: Date }) => [start.toISOString(), end.toISOString()];

describe('calendarWindow', () => {
  // Thursday 2026-12-03, 10:30 in Amsterdam (UTC+1).
  const now = new Date('2026-12-03T09:30:00Z');

  it.each([
    ['today', '2026-12-02T23:00:00.000Z', '2026-12-03T09:30:00.000Z'],
    ['yesterday', '2026-12-01T23:00:00.000Z', '2026-12-02T23:00:00.000Z'],
    ['this_week', '2026-11-29T23:00:00.000Z', '2026-12-03T09:30:00.000Z'],
    ['last_week', '2026-11-22T23:00:00.000Z', '2026-11-29T23:00:00.000Z'],
    ['this_month', '2026-11-30T23:00:00.000Z', '2026-12-03T09:30:00.000Z'],
    ['last_month', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    ['this_year', '2025-12-31T23:00:00.000Z', '2026-12-03T09:30:00.000Z'],
    ['last_year', '2024-12-31T23:00:00.000Z', '2025-12-31T23:00:00.000Z'],
    // A month by name: the latest one that has begun.
    ['november', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    ['december', '2026-11-30T23:00:00.000Z', '2026-12-03T09:30:00.000Z'],
    ['january', '2025-12-31T23:00:00.000Z', '2026-01-31T23:00:00.000Z'],
    // March has a DST switch: 31 days less an hour.
    ['march', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'],
    ['2025-12', '2025-11-30T23:00:00.000Z', '2025-12-31T23:00:00.000Z'],
  ] as const)("%s is the home's local calendar period (Europe/Amsterdam), ending now at the latest", (period, start, end) => {
    expect(iso(calendarWindow(period, now, new LocalClock('Europe/Amsterdam')))).toEqual([start, end]);
  });

  it('gives a day with a DST switch its real length: 25 h when the clocks go back', () => {
    const { start, end } = calendarWindow('yesterday', new Date('2026-10-26T12:00:00Z'), new LocalClock('Europe/Amsterdam'));
    expect(iso({ start, end })).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(25);
  });

  it('works in zones with half-hour offsets and on the other side of the date line', () => {
    expect(iso(calendarWindow('yesterday', now, new LocalClock('Asia/Kolkata')))).toEqual(['2026-12-01T18:30:00.000Z', '2026-12-02T18:30:00.000Z']);
    expect(iso(calendarWindow('yesterday', now, new LocalClock('Pacific/Auckland')))).toEqual(['2026-12-01T11:00:00.000Z', '2026-12-02T11:00:00.000Z']);
  });

  it('refuses a month that has not begun yet, saying so', () => {
    expect(() => calendarWindow('2027-01', now, new LocalClock('Europe/Amsterdam'))).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining("January 2027 has not begun yet in the home's time zone") }),
    );
  });
});
