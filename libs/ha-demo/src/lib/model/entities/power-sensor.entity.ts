import { DemoEntity, formatDecimal, type EntityAttributes } from './demo-entity';

/** A `measurement` W sensor: the mean power of the slot. */
export class PowerSensorEntity extends DemoEntity {
  private readonly attributes: EntityAttributes;

  constructor(
    entityId: string,
    friendlyName: string,
    icon: string,
    private readonly wattsDuring: (slot: number) => number,
  ) {
    super(entityId);
    this.attributes = {
      state_class: 'measurement',
      unit_of_measurement: 'W',
      device_class: 'power',
      icon,
      friendly_name: friendlyName,
    };
  }

  stateForSlot(slot: number): string {
    return formatDecimal(this.wattsDuring(slot), 1);
  }

  attributesForSlot(): EntityAttributes {
    return { ...this.attributes };
  }
}
