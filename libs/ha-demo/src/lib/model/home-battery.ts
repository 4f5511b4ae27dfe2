import { METER_REFERENCE_SLOT } from './energy-meter';
import { SLOTS_PER_DAY } from '../time/slot-time';
import { floor, max, min } from '../time/fast-math';

export interface HomeBatterySpec {
  /** Usable capacity (Wh). */
  capacityWh: number;
  /** The charge it never goes below (Wh): batteries keep a reserve. */
  reserveWh: number;
  /** Most energy in or out per 5-minute slot (Wh): its inverter's power × 5 min. */
  maxSlotWh: number;
  /** The share of a charge that is stored (the rest is lost as heat). */
  chargeEfficiency: number;
}

/**
 * A self-consumption home battery: it stores the panels' surplus and gives it back when the house
 * draws more than the panels make, within its power and between its reserve and its capacity, as a
 * battery in "maximise self-consumption" mode does. Its charge carries from slot to slot since the
 * meters were commissioned, so a day's flows need the charge at that day's start: the charge at
 * each UTC day's start is kept (as `EnergyMeter` keeps readings), and each day's flows once walked.
 * Flows are whole Wh per slot, so the meters over them stay exact.
 */
export class HomeBattery {
  /** Charge (Wh) at the start of day k since the reference slot. */
  private readonly chargeAtDay: number[];
  /** Day k's flows: Wh into the battery, then Wh out of it, per slot. */
  private readonly days: Array<{ charged: Int32Array; discharged: Int32Array }> = [];

  constructor(
    /** The panels' output minus the house's load in a slot (Wh; negative: a deficit). */
    private readonly surplusWh: (slot: number) => number,
    private readonly spec: HomeBatterySpec,
    initialChargeWh: number,
  ) {
    this.chargeAtDay = [initialChargeWh];
  }

  /** Wh the battery took in during `slot`. */
  chargedWh(slot: number): number {
    const day = this.dayOf(slot);
    return day ? day.flows.charged[day.index] : 0;
  }

  /** Wh the battery gave the house during `slot`. */
  dischargedWh(slot: number): number {
    const day = this.dayOf(slot);
    return day ? day.flows.discharged[day.index] : 0;
  }

  private dayOf(slot: number): { flows: { charged: Int32Array; discharged: Int32Array }; index: number } | undefined {
    if (slot < METER_REFERENCE_SLOT) return undefined;
    const day = floor((slot - METER_REFERENCE_SLOT) / SLOTS_PER_DAY);
    while (this.days.length <= day) this.walkDay(this.days.length);
    return { flows: this.days[day], index: slot - METER_REFERENCE_SLOT - day * SLOTS_PER_DAY };
  }

  private walkDay(day: number): void {
    const { capacityWh, reserveWh, maxSlotWh, chargeEfficiency } = this.spec;
    const charged = new Int32Array(SLOTS_PER_DAY);
    const discharged = new Int32Array(SLOTS_PER_DAY);
    let charge = this.chargeAtDay[day];
    const first = METER_REFERENCE_SLOT + day * SLOTS_PER_DAY;
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const surplus = this.surplusWh(first + i);
      if (surplus > 0) {
        const taken = max(0, min(surplus, maxSlotWh, floor((capacityWh - charge) / chargeEfficiency)));
        charged[i] = taken;
        charge += taken * chargeEfficiency;
      } else if (surplus < 0) {
        const given = max(0, min(-surplus, maxSlotWh, floor(charge - reserveWh)));
        discharged[i] = given;
        charge -= given;
      }
    }
    this.days.push({ charged, discharged });
    this.chargeAtDay.push(charge);
  }
}
