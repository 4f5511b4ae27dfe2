import type { HouseholdRoutine, Resident } from '../household-routine';
import { HOUSEHOLD_USER_IDS } from '../household-users';
import { DemoEntity, type EntityAttributes } from './demo-entity';

/** A resident, `home` or `not_home` as the routine says. */
export class PersonEntity extends DemoEntity {
  constructor(
    private readonly resident: Resident,
    private readonly friendlyName: string,
    private readonly routine: HouseholdRoutine,
  ) {
    super(`person.${resident}`);
  }

  stateForSlot(slot: number): string {
    return this.routine.isHome(this.resident, this.routine.calendar.at(slot)) ? 'home' : 'not_home';
  }

  attributesForSlot(): EntityAttributes {
    return {
      editable: true,
      id: this.resident,
      device_trackers: [`device_tracker.${this.resident}_phone`],
      source: `device_tracker.${this.resident}_phone`,
      user_id: HOUSEHOLD_USER_IDS[this.resident],
      friendly_name: this.friendlyName,
    };
  }
}
