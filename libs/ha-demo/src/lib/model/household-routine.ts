import { DayMemo } from '../time/daily-slot-cache';
import { isWeekend, weekdayOf, type LocalCalendar, type LocalSlotTime } from '../time/local-calendar';
import { between, chance, seedOf } from './deterministic-random';
import type { OutdoorClimate } from './outdoor-climate';

/** A local-time interval within one day, in minutes since midnight. */
export interface DayWindow {
  from: number;
  to: number;
}

export type Resident = 'alex' | 'sam';

/** The household's plan for one local day. */
export interface DayPlan {
  wake: number;
  bed: number;
  /** When each resident is out (at most one outing per day). */
  away: Record<Resident, DayWindow | null>;
}

export type LightRoom = 'living_room' | 'kitchen' | 'bedroom';

export const LIGHT_ROOMS: Record<LightRoom, { name: string; watts: number; brightness: number }> = {
  living_room: { name: 'Living Room Light', watts: 42, brightness: 180 },
  kitchen: { name: 'Kitchen Light', watts: 30, brightness: 255 },
  bedroom: { name: 'Bedroom Light', watts: 9, brightness: 90 },
};

const WAKE = seedOf('routine.wake');
const BED = seedOf('routine.bed');
const SAM_AWAY = seedOf('routine.sam.away');
const ALEX_AWAY = seedOf('routine.alex.away');
const AMBIENT_LIGHTS = seedOf('routine.lights.ambient');

/**
 * The household's daily rhythm — two residents: Sam commutes (and drives the EV), Alex works from
 * home. Who is home, who is awake and which lights are on derive from here, so the lights, the
 * people and the untracked load on the mains meter tell one consistent story.
 */
export class HouseholdRoutine {
  private readonly plans = new DayMemo((day) => this.planDay(day));

  constructor(
    readonly calendar: LocalCalendar,
    readonly climate: OutdoorClimate,
  ) {}

  plan(day: number): DayPlan {
    return this.plans.get(day);
  }

  isAwake(local: LocalSlotTime): boolean {
    const plan = this.plans.get(local.day);
    return local.minuteOfDay >= plan.wake && local.minuteOfDay < plan.bed;
  }

  isHome(resident: Resident, local: LocalSlotTime): boolean {
    const away = this.plans.get(local.day).away[resident];
    return !away || local.minuteOfDay < away.from || local.minuteOfDay >= away.to;
  }

  someoneHome(local: LocalSlotTime): boolean {
    return this.isHome('alex', local) || this.isHome('sam', local);
  }

  /** Whether a room's light is on in this slot. */
  isLightOn(room: LightRoom, slot: number): boolean {
    if (!this.climate.isDarkIndoors(slot)) return false;
    const local = this.calendar.at(slot);
    const minute = local.minuteOfDay;
    const { wake, bed } = this.plans.get(local.day);
    switch (room) {
      case 'living_room':
        return this.someoneHome(local) && this.isAwake(local) && (minute >= 900 || minute < 600);
      case 'kitchen':
        return this.someoneHome(local) && ((minute >= wake && minute < wake + 50) || (minute >= 1020 && minute < 1230));
      case 'bedroom':
        return (minute >= bed - 35 && minute < bed) || (minute >= wake && minute < wake + 20);
    }
  }

  /** Lights without their own entity (hall, bathroom, lamps): some are on while people are up in the dark. */
  ambientLightingWatts(slot: number): number {
    if (!this.climate.isDarkIndoors(slot)) return 0;
    const local = this.calendar.at(slot);
    if (!this.someoneHome(local) || !this.isAwake(local)) return 0;
    return between(25, 70, AMBIENT_LIGHTS, slot);
  }

  private planDay(day: number): DayPlan {
    const weekend = isWeekend(weekdayOf(day));
    return {
      wake: weekend ? between(465, 540, WAKE, day) : between(395, 425, WAKE, day),
      bed: between(1360, 1420, BED, day),
      away: { sam: this.samAway(day, weekend), alex: this.alexAway(day, weekend) },
    };
  }

  private samAway(day: number, weekend: boolean): DayWindow | null {
    if (!weekend && chance(0.9, SAM_AWAY, day)) {
      return { from: between(470, 495, SAM_AWAY, day, 1), to: between(1050, 1110, SAM_AWAY, day, 2) };
    }
    if (weekend && chance(0.45, SAM_AWAY, day, 3)) {
      const from = between(780, 900, SAM_AWAY, day, 4);
      return { from, to: from + between(120, 240, SAM_AWAY, day, 5) };
    }
    return null;
  }

  private alexAway(day: number, weekend: boolean): DayWindow | null {
    if (!weekend && chance(0.1, ALEX_AWAY, day)) {
      return { from: between(515, 540, ALEX_AWAY, day, 1), to: between(1035, 1080, ALEX_AWAY, day, 2) };
    }
    if (weekend && chance(0.35, ALEX_AWAY, day, 3)) {
      const from = between(600, 660, ALEX_AWAY, day, 4);
      return { from, to: from + between(60, 150, ALEX_AWAY, day, 5) };
    }
    return null;
  }
}
