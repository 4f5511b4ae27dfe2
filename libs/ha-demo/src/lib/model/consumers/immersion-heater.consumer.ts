import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import { round } from '../../time/fast-math';

const BOOST = seedOf('immersion_heater.boost');

/** 3 kW immersion element: a manual morning boost on some days and the weekly anti-legionella cycle on Sunday evening. */
export class ImmersionHeaterConsumer extends ScheduledAppliance {
  readonly slug = 'immersion_heater';
  readonly name = 'Immersion Water Heater';
  readonly icon = 'mdi:water-boiler';
  readonly initialReadingKwh = 1_377.045;
  protected readonly standbyWatts = 0;

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    const runs: ApplianceRun[] = [];
    if (chance(0.3, BOOST, day)) {
      runs.push({
        startWallMinute: this.wallMinute(day, between(370, 410, BOOST, day, 1)),
        phases: [{ minutes: round(between(30, 50, BOOST, day, 2)), watts: 3000 }],
      });
    }
    if (weekday === 0) {
      runs.push({ startWallMinute: this.wallMinute(day, 1080), phases: [{ minutes: 60, watts: 3000 }] });
    }
    return runs;
  }
}
