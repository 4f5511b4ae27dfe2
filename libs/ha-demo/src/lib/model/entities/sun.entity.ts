import { formatHaTimestamp } from '../../time/ha-datetime';
import { SLOT_MS, SLOTS_PER_DAY } from '../../time/slot-time';
import type { OutdoorClimate } from '../outdoor-climate';
import { DemoEntity, formatDecimal, type EntityAttributes } from './demo-entity';

/** HA's horizon includes atmospheric refraction and the sun's radius. */
const HORIZON_DEG = -0.833;

/** `sun.sun`: above or below the horizon at the site, with HA's position attributes. */
export class SunEntity extends DemoEntity {
  constructor(private readonly climate: OutdoorClimate) {
    super('sun.sun');
  }

  stateForSlot(slot: number): string {
    return this.climate.sunElevation(slot) > HORIZON_DEG ? 'above_horizon' : 'below_horizon';
  }

  attributesForSlot(slot: number): EntityAttributes {
    const position = this.climate.sunAt(slot * SLOT_MS + SLOT_MS / 2);
    return {
      next_rising: this.nextCrossing(slot, 'above_horizon'),
      next_setting: this.nextCrossing(slot, 'below_horizon'),
      elevation: Number(formatDecimal(position.elevation, 2)),
      azimuth: Number(formatDecimal(position.azimuth, 2)),
      rising: this.climate.sunElevation(slot + 1) > this.climate.sunElevation(slot),
      friendly_name: 'Sun',
    };
  }

  /** Start of the first later slot in the given state (5-minute resolution, like the rest of the model). */
  private nextCrossing(slot: number, state: string): string | null {
    for (let s = slot + 1; s <= slot + 2 * SLOTS_PER_DAY; s++) {
      if (this.stateForSlot(s) === state && this.stateForSlot(s - 1) !== state) return formatHaTimestamp(s * SLOT_MS);
    }
    return null;
  }
}
