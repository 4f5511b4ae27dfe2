import type { HaHistoryState } from '@aether/home-assistant';

/** Energy used between two consecutive meter readings, dated at the later reading. */
export interface ConsumptionDelta {
  /** Epoch milliseconds of the later reading. */
  at: number;
  kwh: number;
}

export interface MeterConsumption {
  kwh: number;
  deltas: ConsumptionDelta[];
  /** Numeric readings found in the series. */
  readings: number;
  /** Times the meter went back to (near) zero and counting restarted. */
  resets: number;
}

/** kWh per unit of a cumulative energy meter (HA `device_class: energy` units for electricity). */
export const ENERGY_UNIT_TO_KWH: Readonly<Record<string, number>> = { Wh: 0.001, kWh: 1, MWh: 1000 };

/**
 * A drop to below 90 % of the previous reading is a meter reset (counting restarts from zero); a
 * smaller drop is a dip, which counts as the (negative) change it is, so a dip and its recovery
 * net out. This is how Home Assistant's recorder sums `total_increasing` sensors (sensor/recorder.py
 * `reset_detected` and `compile_statistics`: a cycle's sum is its last reading minus its first),
 * so our totals match HA's own energy statistics.
 */
export const METER_RESET_RATIO = 0.9;

/** Parses an HA state as a meter reading; unknown/unavailable/empty states are not readings. */
export function parseMeterReading(state: string): number | undefined {
  if (state.trim() === '') return undefined;
  const value = Number(state);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Consumption of a cumulative meter over a history series (oldest first; the first state is the
 * reading at the window start): the sum of the changes between consecutive numeric readings, a dip
 * included. After a reset the new reading is counted as consumption from zero. A negative reading
 * is skipped, as HA skips it.
 */
export function meterConsumption(series: readonly HaHistoryState[], kwhPerUnit: number): MeterConsumption {
  const deltas: ConsumptionDelta[] = [];
  let previous: number | undefined;
  let readings = 0;
  let resets = 0;
  let kwh = 0;
  for (const state of series) {
    const value = parseMeterReading(state.state);
    if (value === undefined || value < 0) continue;
    readings += 1;
    if (previous !== undefined) {
      let used: number;
      if (value >= previous * METER_RESET_RATIO) {
        used = value - previous;
      } else {
        resets += 1;
        used = value;
      }
      if (used !== 0) {
        const delta = { at: Date.parse(state.last_changed), kwh: used * kwhPerUnit };
        if (Number.isFinite(delta.at)) {
          deltas.push(delta);
          kwh += delta.kwh;
        }
      }
    }
    previous = value;
  }
  return { kwh, deltas, readings, resets };
}
