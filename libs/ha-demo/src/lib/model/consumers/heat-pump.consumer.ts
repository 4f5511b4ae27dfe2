import type { LocalCalendar } from '../../time/local-calendar';
import { between, chance, seedOf, unit } from '../deterministic-random';
import type { OutdoorClimate } from '../outdoor-climate';
import type { EnergyConsumer } from './energy-consumer';
import { max, min } from '../../time/fast-math';

const MODULATION = seedOf('heat_pump.modulation');
const CYCLING = seedOf('heat_pump.cycling');
const HOT_WATER = seedOf('heat_pump.hot_water');

/**
 * Air-to-water heat pump: heat demand grows as it gets colder outside and the efficiency (COP)
 * drops, so cold hours cost double. It pre-heats overnight on the cheap rate, boosts in the
 * morning, coasts during the day, and heats the hot-water cylinder once a night.
 */
export class HeatPumpConsumer implements EnergyConsumer {
  readonly slug = 'heat_pump';
  readonly name = 'Heat Pump';
  readonly icon = 'mdi:heat-pump';
  readonly initialReadingKwh = 9_412.306;

  constructor(
    private readonly calendar: LocalCalendar,
    private readonly climate: OutdoorClimate,
  ) {}

  wattsDuring(slot: number): number {
    const local = this.calendar.at(slot);
    const outdoor = this.climate.temperatureC(slot);
    const heatDemandKw = max(0, 0.17 * (19.5 - outdoor) - 0.35);
    const cop = min(4.6, max(1.9, 2.3 + 0.09 * outdoor));
    let watts = ((heatDemandKw * this.scheduleFactor(local.minuteOfDay)) / cop) * 1000;
    watts *= 0.85 + 0.3 * unit(MODULATION, slot);
    if (watts > 0 && watts < 300) {
      // Below its minimum modulation the compressor cycles on and off at ~350 W instead.
      watts = chance(watts / 350, CYCLING, slot) ? 350 : 0;
    }
    return 11 + watts + this.hotWaterWatts(local.day, local.minuteOfDay);
  }

  private scheduleFactor(minuteOfDay: number): number {
    if (minuteOfDay < 300) return 1.1; // 00:00–05:00 night-rate pre-heat
    if (minuteOfDay < 480) return 1.45; // 05:00–08:00 morning boost
    if (minuteOfDay < 960) return 0.75; // daytime: solar gains, setback
    if (minuteOfDay < 1320) return 1.0; // evening comfort
    return 0.9;
  }

  private hotWaterWatts(day: number, minuteOfDay: number): number {
    const start = between(150, 180, HOT_WATER, day);
    const duration = between(40, 70, HOT_WATER, day, 1);
    const overlap = min(minuteOfDay + 5, start + duration) - max(minuteOfDay, start);
    return overlap > 0 ? (1650 * overlap) / 5 : 0;
  }
}
