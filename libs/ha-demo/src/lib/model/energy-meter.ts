import { DailySlotCache } from '../time/daily-slot-cache';
import { SLOT_MS, SLOTS_PER_DAY } from '../time/slot-time';
import { floor } from '../time/fast-math';

/**
 * The instant the demo meters were commissioned (2025-10-01T00:00Z, as a slot index). Readings are
 * the commissioning reading plus every slot's energy since, so a reading is a pure function of time.
 * Over a year before the demo's "now": long-term statistics (kept forever by HA) reach 13 months back.
 */
export const METER_REFERENCE_SLOT = Date.UTC(2025, 9, 1) / SLOT_MS;

/**
 * A cumulative kWh meter (HA `total_increasing`) over integer watt-hours per slot. Whole Wh keep
 * every reading exact at HA's 3-decimal kWh resolution, so differences of reported states are
 * exact too. Readings at UTC-day boundaries are memoised: the first reading costs one pass from the
 * reference epoch, later ones only the slots since the nearest checkpoint.
 */
export class EnergyMeter {
  /** checkpoints[k] = reading (Wh) at slot METER_REFERENCE_SLOT + k × SLOTS_PER_DAY. */
  private readonly checkpoints: number[];

  private readonly slotEnergy: DailySlotCache;

  constructor(
    /** Energy (Wh, integer ≥ 0) consumed during a slot. */
    computeSlotWh: (slot: number) => number,
    readonly initialWh: number,
  ) {
    this.checkpoints = [initialWh];
    this.slotEnergy = new DailySlotCache(computeSlotWh);
  }

  /** Energy (Wh) consumed during the slot. */
  slotWh(slot: number): number {
    return this.slotEnergy.get(slot);
  }

  /** Reading (Wh) at the start of `slot`: everything consumed in slots before it. */
  readingAt(slot: number): number {
    if (slot <= METER_REFERENCE_SLOT) return this.initialWh;
    const day = floor((slot - METER_REFERENCE_SLOT) / SLOTS_PER_DAY);
    let reading = this.checkpoint(day);
    for (let s = METER_REFERENCE_SLOT + day * SLOTS_PER_DAY; s < slot; s++) reading += this.slotWh(s);
    return reading;
  }

  /** Readings at the start of each slot first…last (inclusive), computed incrementally. */
  readingsBetween(first: number, last: number): number[] {
    const readings: number[] = [];
    let reading = this.readingAt(first);
    for (let slot = first; slot <= last; slot++) {
      readings.push(reading);
      if (slot >= METER_REFERENCE_SLOT) reading += this.slotWh(slot);
    }
    return readings;
  }

  private checkpoint(day: number): number {
    for (let k = this.checkpoints.length; k <= day; k++) {
      let reading = this.checkpoints[k - 1];
      const from = METER_REFERENCE_SLOT + (k - 1) * SLOTS_PER_DAY;
      for (let s = from; s < from + SLOTS_PER_DAY; s++) reading += this.slotWh(s);
      this.checkpoints.push(reading);
    }
    return this.checkpoints[day];
  }
}
