import type { LocalCalendar } from '../../time/local-calendar';
import { between, seedOf } from '../deterministic-random';
import type { EnergyConsumer } from './energy-consumer';
import { floor, min } from '../../time/fast-math';

const CYCLE = seedOf('fridge_freezer.cycle');
const COMPRESSOR_WATTS = 92;
const IDLE_WATTS = 3;

/**
 * Fridge-freezer: the compressor cycles (~20 min on in every ~50), a little longer while the
 * kitchen is busy, plus a daily defrost.
 */
export class FridgeFreezerConsumer implements EnergyConsumer {
  readonly slug = 'fridge_freezer';
  readonly name = 'Fridge Freezer';
  readonly icon = 'mdi:fridge';
  readonly initialReadingKwh = 2_230.716;

  constructor(private readonly calendar: LocalCalendar) {}

  wattsDuring(slot: number): number {
    const local = this.calendar.at(slot);
    const busyKitchen = (local.minuteOfDay >= 420 && local.minuteOfDay < 540) || (local.minuteOfDay >= 1050 && local.minuteOfDay < 1230);
    const period = between(44, 56, CYCLE, local.day);
    const dutyCycle = between(0.36, 0.42, CYCLE, local.day, 1) + (busyKitchen ? 0.08 : 0);
    const phase = between(0, period, CYCLE, local.day, 2);
    const onMinutes = this.compressorMinutes(local.wallMinute, period, period * dutyCycle, phase);
    const defrost = local.minuteOfDay >= 840 && local.minuteOfDay < 860 ? 180 : 0;
    return (onMinutes * COMPRESSOR_WATTS + (5 - onMinutes) * IDLE_WATTS) / 5 + defrost;
  }

  /** Minutes of [from, from+5) during which a square wave (on for `on` of every `period` minutes) is on. */
  private compressorMinutes(from: number, period: number, on: number, phase: number): number {
    const onTimeUntil = (t: number) => {
      const shifted = t - phase;
      const cycles = floor(shifted / period);
      return cycles * on + min(shifted - cycles * period, on);
    };
    return onTimeUntil(from + 5) - onTimeUntil(from);
  }
}
