import { LocalCalendar, dayOfYearOf } from './local-calendar';
import { slotContaining } from './slot-time';

describe('LocalCalendar', () => {
  const dublin = new LocalCalendar('Europe/Dublin');

  it('follows Irish summer time (UTC+1 from the last Sunday of March to the last Sunday of October)', () => {
    expect(dublin.offsetMinutes(Date.UTC(2026, 2, 29, 0, 59))).toBe(0);
    expect(dublin.offsetMinutes(Date.UTC(2026, 2, 29, 1, 0))).toBe(60);
    expect(dublin.offsetMinutes(Date.UTC(2026, 9, 25, 0, 59))).toBe(60);
    expect(dublin.offsetMinutes(Date.UTC(2026, 9, 25, 1, 0))).toBe(0);
  });

  it('gives local wall-clock facts for a slot', () => {
    const summerEvening = dublin.at(slotContaining(Date.UTC(2026, 6, 4, 18, 30))); // Saturday 19:30 IST
    expect(summerEvening.minuteOfDay).toBe(19 * 60 + 30);
    expect(summerEvening.weekday).toBe(6);
    expect(summerEvening.dayOfYear).toBe(185);
    const newYear = dublin.at(slotContaining(Date.UTC(2026, 0, 1, 0, 0)));
    expect(newYear.dayOfYear).toBe(1);
    expect(newYear.weekday).toBe(4); // Thursday
  });

  it('computes the day of the year without Date objects, leap years included', () => {
    for (let day = -800; day < 25_000; day += 7) {
      const date = new Date(day * 86_400_000);
      const expected = day - Date.UTC(date.getUTCFullYear(), 0, 1) / 86_400_000 + 1;
      expect(dayOfYearOf(day)).toBe(expected);
    }
  });
});
