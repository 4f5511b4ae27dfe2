import { dayOfYearOf, type LocalCalendar } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import { runEndWallMinute, type ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import type { WashingMachineConsumer } from './washing-machine.consumer';
import { PI, cos, round } from '../../time/fast-math';

const DRY = seedOf('tumble_dryer.dry');

/** Condenser tumble dryer: follows a wash, far more often in the wet, dark half of the year. */
export class TumbleDryerConsumer extends ScheduledAppliance {
  readonly slug = 'tumble_dryer';
  readonly name = 'Tumble Dryer';
  readonly icon = 'mdi:tumble-dryer';
  readonly initialReadingKwh = 801.139;
  protected readonly standbyWatts = 0.5;

  constructor(
    calendar: LocalCalendar,
    private readonly washingMachine: WashingMachineConsumer,
  ) {
    super(calendar);
  }

  protected planRuns(day: number): ApplianceRun[] {
    const winterness = (1 + cos((2 * PI * (dayOfYearOf(day) - 15)) / 365.25)) / 2;
    return this.washingMachine
      .runsStartingOn(day)
      .filter((_, load) => chance(0.25 + 0.55 * winterness, DRY, day, load))
      .map((wash, load) => ({
        startWallMinute: runEndWallMinute(wash) + round(between(10, 40, DRY, day, 10 + load)),
        phases: [
          { minutes: round(between(55, 85, DRY, day, 20 + load)), watts: 2100 },
          { minutes: 10, watts: 200 },
        ],
      }));
  }
}
