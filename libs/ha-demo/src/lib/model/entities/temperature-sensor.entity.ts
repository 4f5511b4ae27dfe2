import { DemoEntity, formatDecimal, type EntityAttributes } from './demo-entity';

/** A °C `measurement` sensor with 0.1 °C resolution. */
export class TemperatureSensorEntity extends DemoEntity {
  constructor(
    entityId: string,
    private readonly friendlyName: string,
    private readonly celsius: (slot: number) => number,
  ) {
    super(entityId);
  }

  stateForSlot(slot: number): string {
    return formatDecimal(this.celsius(slot), 1);
  }

  attributesForSlot(): EntityAttributes {
    return {
      state_class: 'measurement',
      unit_of_measurement: '°C',
      device_class: 'temperature',
      friendly_name: this.friendlyName,
    };
  }
}
