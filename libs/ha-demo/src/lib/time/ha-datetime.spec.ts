import { formatHaTimestamp, parseHaDatetime } from './ha-datetime';
import { LocalCalendar } from './local-calendar';

const dublin = new LocalCalendar('Europe/Dublin');

describe('formatHaTimestamp', () => {
  it('formats like Python isoformat on a UTC datetime: microseconds only when non-zero', () => {
    expect(formatHaTimestamp(Date.UTC(2026, 10, 29, 12, 5, 7, 412))).toBe('2026-11-29T12:05:07.412000+00:00');
    expect(formatHaTimestamp(Date.UTC(2026, 10, 29, 12, 5, 0, 0))).toBe('2026-11-29T12:05:00+00:00');
  });

  it('gives the date and time Date#toISOString gives, across days, years and leap days, in any order of calls', () => {
    const viaIso = (epochMs: number) => {
      const iso = new Date(epochMs).toISOString();
      return iso.slice(20, 23) === '000' ? `${iso.slice(0, 19)}+00:00` : `${iso.slice(0, 19)}.${iso.slice(20, 23)}000+00:00`;
    };
    const instants = [
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1, 0, 0, 0, 0),
      Date.UTC(2025, 11, 31, 23, 59, 59, 1),
      Date.UTC(2026, 0, 1, 0, 0, 0, 10),
      Date.UTC(1969, 11, 31, 23, 59, 59, 500),
      Date.UTC(2026, 10, 29, 12, 5, 7, 412) + 0.9,
    ];
    // Every 5 minutes plus a report delay over two days, then back again, as history series are read.
    for (let t = Date.UTC(2026, 9, 25, 22, 0, 0, 0) + 13_417; t < Date.UTC(2026, 9, 27, 2, 0, 0, 0); t += 300_000) instants.push(t);
    instants.push(...instants.slice().reverse());
    for (const instant of instants) expect(formatHaTimestamp(instant)).toBe(viaIso(instant));
  });
});

describe('parseHaDatetime', () => {
  it('reads explicit offsets and Z', () => {
    expect(parseHaDatetime('2026-11-29T12:05:07.412Z', dublin)).toBe(Date.UTC(2026, 10, 29, 12, 5, 7, 412));
    expect(parseHaDatetime('2026-11-29T12:05:07.412000+00:00', dublin)).toBe(Date.UTC(2026, 10, 29, 12, 5, 7, 412));
    expect(parseHaDatetime('2026-07-01T10:00:00+02:00', dublin)).toBe(Date.UTC(2026, 6, 1, 8));
    expect(parseHaDatetime('2026-07-01T10:00:00-0530', dublin)).toBe(Date.UTC(2026, 6, 1, 15, 30));
    expect(parseHaDatetime('2026-07-01 10:00', dublin)).not.toBeNull();
  });

  it("reads timestamps without an offset as wall time in HA's time zone (Dublin: GMT in winter, IST in summer)", () => {
    expect(parseHaDatetime('2026-01-15T09:00:00', dublin)).toBe(Date.UTC(2026, 0, 15, 9));
    expect(parseHaDatetime('2026-07-15T09:00:00', dublin)).toBe(Date.UTC(2026, 6, 15, 8));
    expect(parseHaDatetime('2026-07-15', dublin)).toBe(Date.UTC(2026, 6, 14, 23));
  });

  it('rejects what is not a timestamp', () => {
    for (const text of ['yesterday', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-29T25:00:00Z', '1732881600', '']) {
      expect(parseHaDatetime(text, dublin)).toBeNull();
    }
  });
});
