import { LIGHT_ROOMS, type HouseholdRoutine, type LightRoom } from '../household-routine';
import { DemoEntity, type EntityAttributes } from './demo-entity';

/** A dimmable light switched by the household routine. */
export class LightEntity extends DemoEntity {
  constructor(
    private readonly room: LightRoom,
    private readonly routine: HouseholdRoutine,
  ) {
    super(`light.${room}`);
  }

  stateForSlot(slot: number): string {
    return this.routine.isLightOn(this.room, slot) ? 'on' : 'off';
  }

  attributesForSlot(_slot: number, state: string): EntityAttributes {
    const on = state === 'on';
    return {
      supported_color_modes: ['brightness'],
      color_mode: on ? 'brightness' : null,
      brightness: on ? LIGHT_ROOMS[this.room].brightness : null,
      friendly_name: LIGHT_ROOMS[this.room].name,
      supported_features: 0,
    };
  }
}
