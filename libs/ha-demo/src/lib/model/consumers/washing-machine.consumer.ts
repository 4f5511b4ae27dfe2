import { isWeekend } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import { runEndWallMinute, type ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import { floor, round } from '../../time/fast-math';

const WASH = seedOf('washing_machine.wash');

/** Washing machine: most weekend mornings, some weekday evenings; sometimes two loads back to back. */
export class WashingMachineConsumer extends ScheduledAppliance {
  readonly slug = 'washing_machine';
  readonly name = 'Washing Machine';
  readonly icon = 'mdi:washing-machine';
  readonly initialReadingKwh = 612.884;
  protected readonly standbyWatts = 1;

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    const weekend = isWeekend(weekday);
    if (!chance(weekend ? 0.7 : 0.3, WASH, day)) return [];
    const loads = chance(0.4, WASH, day, 1) ? 2 : 1;
    const runs: ApplianceRun[] = [];
    let start = this.wallMinute(day, weekend ? between(540, 690, WASH, day, 2) : between(1095, 1170, WASH, day, 2));
    for (let load = 0; load < loads; load++) {
      // 30/40/60 °C programmes differ mainly in how long the element heats the water.
      const heatMinutes = [8, 15, 25][floor(between(0, 3, WASH, day, 10 + load))];
      const run: ApplianceRun = {
        startWallMinute: start,
        phases: [
          { minutes: 5, watts: 60 },
          { minutes: heatMinutes, watts: 2000 },
          { minutes: 50, watts: 180 },
          { minutes: 15, watts: 120 },
          { minutes: 12, watts: 450 },
        ],
      };
      runs.push(run);
      start = runEndWallMinute(run) + round(between(10, 30, WASH, day, 20 + load));
    }
    return runs;
  }
}
