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

  it('counts a dip of less than 10 % as the negative change it is, as Home Assistant sums it: a dip and its recovery net out', () => {
    const result = meterConsumption([at('2026-11-27T12:00:00Z', '100'), at('2026-11-27T13:00:00Z', '99.5'), at('2026-11-27T14:00:00Z', '100.5')], 1);
    // HA's statistics sum for this cycle: last reading − first = 0.5 (not 1: the recovery is no consumption).
    expect(result.kwh).toBeCloseTo(0.5);
    expect(result.deltas).toEqual([
      { at: Date.parse('2026-11-27T13:00:00Z'), kwh: -0.5 },
      { at: Date.parse('2026-11-27T14:00:00Z'), kwh: 1 },
    ]);
    expect(result.resets).toBe(0);
  });

  it("matches Home Assistant's statistics sum over dips and resets: each cycle's last reading minus its first, a new cycle from zero", () => {
    // 1000 → 1002 → 1001.5 (dip) → 1003 → 2 (reset) → 1.8 (dip) → 4 → -1 (negative: skipped) → 4.5
    const states = ['1000', '1002', '1001.5', '1003', '2', '1.8', '4', '-1', '4.5'];
    const result = meterConsumption(states.map((state, i) => at(new Date(Date.UTC(2026, 10, 27, i)).toISOString(), state)), 1);
    // HA: (1003 − 1000) + (4.5 − 0)
    expect(result.kwh).toBeCloseTo(3 + 4.5, 9);
    expect(result.resets).toBe(1);
    expect(result.readings).toBe(8);
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
