import { isWeekend } from '../../time/local-calendar';
import { between, chance, seedOf } from '../deterministic-random';
import type { ApplianceRun } from './appliance-run';
import { ScheduledAppliance } from './scheduled-appliance';
import { round } from '../../time/fast-math';

const SESSION = seedOf('ev_charger.session');
const CHARGER_KW = 7.2;

/** 7.2 kW wallbox: Sam's car charges overnight (on the night rate) on some nights, tapering at the end. */
export class EvChargerConsumer extends ScheduledAppliance {
  readonly slug = 'ev_charger';
  readonly name = 'EV Charger';
  readonly icon = 'mdi:ev-station';
  readonly initialReadingKwh = 4_187.52;
  protected readonly standbyWatts = 4;

  protected planRuns(day: number, weekday: number): ApplianceRun[] {
    // A session starting this evening (weekend nights are rarer: the car was barely used).
    if (!chance(isWeekend(weekday) ? 0.25 : 0.5, SESSION, day)) return [];
    const energyKwh = between(6, 28, SESSION, day, 1);
    const bulkMinutes = round(((energyKwh - 0.6) / CHARGER_KW) * 60);
    return [
      {
        startWallMinute: this.wallMinute(day, between(1380, 1500, SESSION, day, 2)),
        phases: [
          { minutes: bulkMinutes, watts: CHARGER_KW * 1000 },
          { minutes: 15, watts: 2400 },
        ],
      },
    ];
  }
}
