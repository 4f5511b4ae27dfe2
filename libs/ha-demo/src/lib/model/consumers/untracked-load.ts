import { between, chance, seedOf, smoothNoise } from '../deterministic-random';
import { LIGHT_ROOMS, type HouseholdRoutine, type LightRoom } from '../household-routine';

const BASELOAD = seedOf('untracked.baseload');
const KETTLE = seedOf('untracked.kettle');
const MICROWAVE = seedOf('untracked.microwave');

/**
 * What the mains meter sees beyond the metered consumers: the always-on baseload (router, alarm,
 * standby), the lights, and small kitchen appliances (kettle, microwave) while people are up.
 */
export class UntrackedLoad {
  constructor(private readonly routine: HouseholdRoutine) {}

  wattsDuring(slot: number): number {
    const baseload = 96 + 14 * smoothNoise(BASELOAD, slot / 144);
    let lights = this.routine.ambientLightingWatts(slot);
    for (const room of Object.keys(LIGHT_ROOMS) as LightRoom[]) {
      if (this.routine.isLightOn(room, slot)) lights += LIGHT_ROOMS[room].watts;
    }
    return baseload + lights + this.kitchenWatts(slot);
  }

  private kitchenWatts(slot: number): number {
    const local = this.routine.calendar.at(slot);
    if (!this.routine.someoneHome(local) || !this.routine.isAwake(local)) return 0;
    const mealTime = (local.minuteOfDay >= 400 && local.minuteOfDay < 560) || (local.minuteOfDay >= 1020 && local.minuteOfDay < 1140);
    let watts = 0;
    // A 2.2 kW kettle boils for ~3 of the slot's 5 minutes.
    if (chance(mealTime ? 0.12 : 0.035, KETTLE, slot)) watts += (2200 * between(2.5, 3.5, KETTLE, slot, 1)) / 5;
    if (chance(mealTime ? 0.05 : 0.01, MICROWAVE, slot)) watts += (1150 * between(1, 4, MICROWAVE, slot, 1)) / 5;
    return watts;
  }
}
