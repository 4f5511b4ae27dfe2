import { DayMemo } from '../time/daily-slot-cache';
import { isWeekend, weekdayOf, type LocalCalendar } from '../time/local-calendar';
import { DAY_MS, slotContaining, SLOTS_PER_DAY } from '../time/slot-time';
import { between, chance, seedOf } from './deterministic-random';
import type { HouseholdRoutine, Resident } from './household-routine';
import type { OutdoorClimate } from './outdoor-climate';
import { round } from '../time/fast-math';

/** A switch-on and switch-off by a resident within one local day (minutes since midnight). */
export interface ManualUse {
  on: number;
  off: number;
  by: Resident;
}

/** The office heater on one day: switched on in the morning, and either off in the evening or left on until the next morning. */
export interface HeaterUse {
  on: number;
  /** Minute of the same day it is switched off, or null when it is left on overnight. */
  off: number | null;
  /** Minute of the *next* day it is finally switched off when left on. */
  offNextMorning: number;
}

/** A daily window in which a sensor is `unavailable` (the garage sensor's Zigbee link drops). */
export interface Dropout {
  from: number;
  to: number;
}

const PORCH = seedOf('habits.porch_light');
const HEATER = seedOf('habits.office_heater');
const GARAGE = seedOf('habits.garage_sensor.dropout');

/** The porch light is switched on by hand at about this time on most evenings (the pattern an analyst should find). */
export const PORCH_LIGHT_USUAL_MINUTE = 19 * 60 + 5;

/**
 * The household's *habits* — things people do by hand, and the house's quirks — that leave
 * patterns in history and the logbook worth finding: the porch light switched on by hand at about
 * the same time most evenings, the office heater sometimes left on overnight, a garage sensor that
 * drops off the Zigbee mesh every night. Also the day facts automations key on (sunset).
 */
export class HouseholdHabits {
  private readonly porch = new DayMemo((day) => this.planPorch(day));
  private readonly heater = new DayMemo((day) => this.planHeater(day));
  private readonly sunsets = new DayMemo((day) => this.findSunset(day));

  constructor(
    private readonly calendar: LocalCalendar,
    private readonly routine: HouseholdRoutine,
    private readonly climate: OutdoorClimate,
  ) {}

  /** The slot containing local `minute` of local day `day`. */
  slotAt(day: number, minute: number): number {
    return slotContaining(this.calendar.wallTimeToEpochMs(day * DAY_MS + minute * 60_000));
  }

  porchLight(day: number): ManualUse | null {
    return this.porch.get(day);
  }

  officeHeater(day: number): HeaterUse | null {
    return this.heater.get(day);
  }

  garageDropout(day: number): Dropout {
    const from = round(between(150, 200, GARAGE, day));
    return { from, to: from + round(between(10, 45, GARAGE, day, 1)) };
  }

  /** Local minute of the first slot after noon with the sun below the horizon. */
  sunsetMinute(day: number): number {
    return this.sunsets.get(day);
  }

  isPorchLightOn(day: number, minute: number): boolean {
    const use = this.porch.get(day);
    return use !== null && minute >= use.on && minute < use.off;
  }

  isOfficeHeaterOn(day: number, minute: number): boolean {
    const yesterday = this.heater.get(day - 1);
    if (yesterday && yesterday.off === null && minute < yesterday.offNextMorning) return true;
    const today = this.heater.get(day);
    return today !== null && minute >= today.on && (today.off === null || minute < today.off);
  }

  private planPorch(day: number): ManualUse | null {
    if (!chance(0.86, PORCH, day)) return null;
    const on = round(PORCH_LIGHT_USUAL_MINUTE + between(-12, 14, PORCH, day, 1));
    const local = { day, minuteOfDay: on, wallMinute: day * 1440 + on, weekday: weekdayOf(day), dayOfYear: 0 };
    const by: Resident | null = this.routine.isHome('alex', local) ? 'alex' : this.routine.isHome('sam', local) ? 'sam' : null;
    if (!by) return null;
    return { on, off: round(this.routine.plan(day).bed - between(5, 25, PORCH, day, 2)), by };
  }

  private planHeater(day: number): HeaterUse | null {
    const plan = this.routine.plan(day);
    const weekday = weekdayOf(day);
    if (isWeekend(weekday) || plan.away.alex !== null) return null;
    const on = round(plan.wake + between(45, 80, HEATER, day));
    const leftOn = chance(0.3, HEATER, day, 1);
    const offNextMorning = round(this.routine.plan(day + 1).wake + between(4, 25, HEATER, day, 2));
    return { on, off: leftOn ? null : round(between(1010, 1090, HEATER, day, 3)), offNextMorning };
  }

  private findSunset(day: number): number {
    const noon = this.slotAt(day, 720);
    for (let slot = noon; slot < noon + SLOTS_PER_DAY / 2; slot++) {
      if (this.climate.sunElevation(slot) <= -0.833) return this.calendar.at(slot).minuteOfDay;
    }
    return 1260;
  }
}
