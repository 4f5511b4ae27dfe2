import { isWeekend } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import { round } from '../../time/fast-math';

const EVENING = seedOf('tv_media.evening');
const AFTERNOON = seedOf('tv_media.afternoon');

/** TV, soundbar and set-top box: most evenings, some weekend afternoons; the box never fully sleeps. */
export class TvMediaConsumer extends ScheduledAppliance {
  readonly slug = 'tv_media';
  readonly name = 'TV & Media';
  readonly icon = 'mdi:television';
  readonly initialReadingKwh = 690.318;
  protected readonly standbyWatts = 6;

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    const runs: ApplianceRun[] = [];
    if (isWeekend(weekday) && chance(0.5, AFTERNOON, day)) {
      runs.push({
        startWallMinute: this.wallMinute(day, between(840, 900, AFTERNOON, day, 1)),
        phases: [{ minutes: round(between(90, 180, AFTERNOON, day, 2)), watts: between(110, 150, AFTERNOON, day, 3) }],
      });
    }
    if (chance(0.9, EVENING, day)) {
      const start = between(1125, 1200, EVENING, day, 1);
      const end = between(1335, 1455, EVENING, day, 2);
      runs.push({
        startWallMinute: this.wallMinute(day, start),
        phases: [{ minutes: round(end - start), watts: between(115, 165, EVENING, day, 3) }],
      });
    }
    return runs;
  }
}
