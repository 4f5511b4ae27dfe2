import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';

const WASH = seedOf('dishwasher.wash');

/** Dishwasher: started after dinner on most evenings; two heating phases dominate its energy. */
export class DishwasherConsumer extends ScheduledAppliance {
  readonly slug = 'dishwasher';
  readonly name = 'Dishwasher';
  readonly icon = 'mdi:dishwasher';
  readonly initialReadingKwh = 955.47;
  protected readonly standbyWatts = 0.8;

  protected planRuns(day: number): ApplianceRun[] {
    if (!chance(0.75, WASH, day)) return [];
    return [
      {
        startWallMinute: this.wallMinute(day, between(1230, 1350, WASH, day, 1)),
        phases: [
          { minutes: 18, watts: 1900 },
          { minutes: 40, watts: 110 },
          { minutes: 12, watts: 1900 },
          { minutes: 20, watts: 90 },
          { minutes: 35, watts: 25 },
        ],
      },
    ];
  }
}
