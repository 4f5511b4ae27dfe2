import { isWeekend } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import { round } from '../../time/fast-math';

const DINNER = seedOf('oven.dinner');
const LUNCH = seedOf('oven.lunch');

/** Electric oven: preheat at full power, then thermostat cycling; dinner most days, lunch some weekends. */
export class OvenConsumer extends ScheduledAppliance {
  readonly slug = 'oven';
  readonly name = 'Oven';
  readonly icon = 'mdi:stove';
  readonly initialReadingKwh = 1_104.283;
  protected readonly standbyWatts = 2;

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    const runs: ApplianceRun[] = [];
    if (isWeekend(weekday) && chance(0.35, LUNCH, day)) {
      runs.push(this.cook(this.wallMinute(day, between(735, 795, LUNCH, day, 1)), between(20, 40, LUNCH, day, 2)));
    }
    if (chance(0.8, DINNER, day)) {
      runs.push(this.cook(this.wallMinute(day, between(1040, 1120, DINNER, day, 1)), between(25, 55, DINNER, day, 2)));
    }
    return runs;
  }

  private cook(startWallMinute: number, cookMinutes: number): ApplianceRun {
    return {
      startWallMinute,
      phases: [
        { minutes: 12, watts: 2400 },
        { minutes: round(cookMinutes), watts: 1150 },
      ],
    };
  }
}
