import { DayMemo } from '../../time/daily-slot-cache';
import { weekdayOf, type LocalCalendar } from '../../time/local-calendar';
import { meanRunWatts, type ApplianceRun } from './appliance-run';
import type { EnergyConsumer } from './energy-consumer';
import { max, round } from '../../time/fast-math';

/**
 * An appliance used in discrete runs (a wash, a charge, a dinner in the oven). Subclasses decide
 * which runs start on a local day; a run may continue past midnight, so a slot looks at the runs
 * of its own day and the day before.
 */
export abstract class ScheduledAppliance implements EnergyConsumer {
  abstract readonly slug: string;
  abstract readonly name: string;
  abstract readonly icon: string;
  abstract readonly initialReadingKwh: number;
  /** Draw while idle (clock, control board). */
  protected abstract readonly standbyWatts: number;

  private readonly runsByDay = new DayMemo<readonly ApplianceRun[]>((day) => this.planRuns(day, weekdayOf(day)));

  constructor(protected readonly calendar: LocalCalendar) {}

  /** The runs that start on local day `day` (`weekday` 0 = Sunday). Must be a pure function of the day. */
  protected abstract planRuns(day: number, weekday: number): ApplianceRun[];

  runsStartingOn(day: number): readonly ApplianceRun[] {
    return this.runsByDay.get(day);
  }

  wattsDuring(slot: number): number {
    const local = this.calendar.at(slot);
    const running =
      meanRunWatts(this.runsStartingOn(local.day - 1), local.wallMinute) + meanRunWatts(this.runsStartingOn(local.day), local.wallMinute);
    return running > 0 ? max(running, this.standbyWatts) : this.standbyWatts;
  }

  /** Wall minute of `minuteOfDay` on local day `day`. */
  protected wallMinute(day: number, minuteOfDay: number): number {
    return day * 1440 + round(minuteOfDay);
  }
}
