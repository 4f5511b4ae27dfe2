import type { EnergyMeter } from '../energy-meter';
import { DemoEntity, type EntityAttributes } from './demo-entity';

/** A `total_increasing` kWh sensor backed by an `EnergyMeter`: the state in a slot is the reading at its start. */
export class EnergySensorEntity extends DemoEntity {
  private readonly attributes: EntityAttributes;

  constructor(
    entityId: string,
    readonly friendlyName: string,
    icon: string,
    readonly meter: EnergyMeter,
  ) {
    super(entityId);
    this.attributes = {
      state_class: 'total_increasing',
      unit_of_measurement: 'kWh',
      device_class: 'energy',
      icon,
      friendly_name: friendlyName,
    };
  }

  stateForSlot(slot: number): string {
    return formatKwh(this.meter.readingAt(slot));
  }

  override statesForSlots(first: number, last: number): string[] {
    return this.meter.readingsBetween(first, last).map(formatKwh);
  }

  attributesForSlot(): EntityAttributes {
    return { ...this.attributes };
  }
}

/** Whole Wh → HA's kWh string with 3 decimals' resolution (trailing zeros dropped, as HA does for floats). */
export function formatKwh(wh: number): string {
  return String(wh / 1000);
}
