import { isWeekend } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import type { HouseholdRoutine } from '../household-routine';
import { ScheduledAppliance } from './scheduled-appliance';
import { round } from '../../time/fast-math';

const WORKDAY = seedOf('home_office.workday');
const EVENING = seedOf('home_office.evening');

/** Alex's desk (PC, two monitors, dock): working hours on weekdays at home, a lunch break, the odd evening session. */
export class HomeOfficeConsumer extends ScheduledAppliance {
  readonly slug = 'home_office';
  readonly name = 'Home Office';
  readonly icon = 'mdi:desktop-tower-monitor';
  readonly initialReadingKwh = 1_046.902;
  protected readonly standbyWatts = 3.5;

  constructor(private readonly routine: HouseholdRoutine) {
    super(routine.calendar);
  }

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    const runs: ApplianceRun[] = [];
    const alexAway = this.routine.plan(day).away.alex;
    if (!isWeekend(weekday) && !alexAway && chance(0.93, WORKDAY, day)) {
      const start = between(510, 555, WORKDAY, day, 1);
      const lunch = between(740, 770, WORKDAY, day, 2);
      const end = between(1020, 1095, WORKDAY, day, 3);
      const watts = between(125, 165, WORKDAY, day, 4);
      runs.push({
        startWallMinute: this.wallMinute(day, start),
        phases: [
          { minutes: round(lunch - start), watts },
          { minutes: 40, watts: 35 },
          { minutes: round(end - lunch - 40), watts },
        ],
      });
    }
    if (chance(0.15, EVENING, day)) {
      runs.push({
        startWallMinute: this.wallMinute(day, between(1230, 1290, EVENING, day, 1)),
        phases: [{ minutes: round(between(40, 90, EVENING, day, 2)), watts: between(110, 150, EVENING, day, 3) }],
      });
    }
    return runs;
  }
}
