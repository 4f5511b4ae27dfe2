import { meterConsumption, parseMeterReading } from './meter-consumption';

const at = (iso: string, state: string) => ({ state, last_changed: iso });

describe('meterConsumption', () => {
  it('sums positive deltas and dates each at the later reading', () => {
    const result = meterConsumption(
      [at('2026-11-27T12:00:00Z', '100'), at('2026-11-27T13:00:00Z', '101.5'), at('2026-11-27T14:00:00Z', '104')],
      1,
    );
    expect(result.kwh).toBeCloseTo(4);
    expect(result.deltas).toEqual([
      { at: Date.parse('2026-11-27T13:00:00Z'), kwh: 1.5 },
      { at: Date.parse('2026-11-27T14:00:00Z'), kwh: 2.5 },
    ]);
    expect(result.readings).toBe(3);
  });

  it('skips unknown and unavailable states, bridging the gap to the next reading', () => {
    const result = meterConsumption(
      [at('2026-11-27T12:00:00Z', '10'), at('2026-11-27T12:30:00Z', 'unavailable'), at('2026-11-27T13:00:00Z', 'unknown'), at('2026-11-27T14:00:00Z', '12')],
      1,
    );
    expect(result.kwh).toBeCloseTo(2);
    expect(result.deltas).toHaveLength(1);
    expect(result.readings).toBe(2);
  });

  it('treats a drop as a meter reset and counts the new value from zero', () => {
    const result = meterConsumption([at('2026-11-27T12:00:00Z', '950'), at('2026-11-27T13:00:00Z', '980'), at('2026-11-27T14:00:00Z', '3')], 1);
    expect(result.kwh).toBeCloseTo(33);
    expect(result.resets).toBe(1);
  });

  it('ignores a dip of less than 10 % like Home Assistant does (no reset, no consumption)', () => {
    const result = meterConsumption([at('2026-11-27T12:00:00Z', '100'), at('2026-11-27T13:00:00Z', '99.5'), at('2026-11-27T14:00:00Z', '100.5')], 1);
    expect(result.kwh).toBeCloseTo(1);
    expect(result.resets).toBe(0);
  });

  it('converts with the unit factor', () => {
    expect(meterConsumption([at('2026-11-27T12:00:00Z', '1000'), at('2026-11-27T13:00:00Z', '2500')], 0.001).kwh).toBeCloseTo(1.5);
  });

  it('parses only numeric states as readings', () => {
    expect(parseMeterReading('12.5')).toBe(12.5);
    expect(parseMeterReading('')).toBeUndefined();
    expect(parseMeterReading('unknown')).toBeUndefined();
    expect(parseMeterReading('12kWh')).toBeUndefined();
  });
});
