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
 * A drop to below 90 % of the previous reading is a meter reset; a smaller drop is a dip (noise or
 * a corrected reading) and counts as no consumption. This is the rule Home Assistant's recorder
 * applies to `total_increasing` sensors, so our totals match HA's own energy statistics.
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
 * reading at the window start): the sum of positive deltas between consecutive numeric readings.
 * After a reset the new reading is counted as consumption from zero.
 */
export function meterConsumption(series: readonly HaHistoryState[], kwhPerUnit: number): MeterConsumption {
  const deltas: ConsumptionDelta[] = [];
  let previous: number | undefined;
  let readings = 0;
  let resets = 0;
  let kwh = 0;
  for (const state of series) {
    const value = parseMeterReading(state.state);
    if (value === undefined) continue;
    readings += 1;
    if (previous !== undefined) {
      let used = 0;
      if (value >= previous) {
        used = value - previous;
      } else if (value < previous * METER_RESET_RATIO) {
        resets += 1;
        used = Math.max(0, value);
      }
      if (used > 0) {
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
