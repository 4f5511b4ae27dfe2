import { SLOTS_PER_DAY } from './slot-time';
import { floor } from './fast-math';

/**
 * Memoises a per-slot quantity a UTC day (288 slots) at a time. Meter readings sum every slot
 * since the reference epoch and many quantities feed several others (temperature → heat pump and
 * weather; lights → light entities and the mains meter), so each is computed once per slot and
 * reused. Keeps the most recent `maxDays` days (first in, first out: access is mostly sequential).
 */
export class DailySlotCache {
  private readonly days = new Map<number, Float64Array>();

  constructor(
    private readonly compute: (slot: number) => number,
    private readonly maxDays = 48,
  ) {}

  get(slot: number): number {
    const day = floor(slot / SLOTS_PER_DAY);
    let values = this.days.get(day);
    if (!values) {
      values = new Float64Array(SLOTS_PER_DAY);
      const first = day * SLOTS_PER_DAY;
      for (let i = 0; i < SLOTS_PER_DAY; i++) values[i] = this.compute(first + i);
      if (this.days.size >= this.maxDays) this.days.delete(this.days.keys().next().value as number);
      this.days.set(day, values);
    }
    return values[slot - day * SLOTS_PER_DAY];
  }
}

/** A bounded memo for per-day values (first in, first out). */
export class DayMemo<T> {
  private readonly values = new Map<number, T>();

  constructor(
    private readonly compute: (day: number) => T,
    private readonly maxDays = 400,
  ) {}

  get(day: number): T {
    let value = this.values.get(day);
    if (value === undefined) {
      value = this.compute(day);
      if (this.values.size >= this.maxDays) this.values.delete(this.values.keys().next().value as number);
      this.values.set(day, value);
    }
    return value;
  }
}
