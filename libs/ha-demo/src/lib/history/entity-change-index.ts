import type { DemoEntity } from '../model/entities/demo-entity';
import { DayMemo } from '../time/daily-slot-cache';
import { SLOTS_PER_DAY } from '../time/slot-time';
import { floor } from '../time/fast-math';

/** A state change: the state that starts in `slot` differs from the one before. */
export interface StateChange {
  slot: number;
  state: string;
  previous: string;
}

/**
 * The state changes of one entity, found a UTC day of slots at a time and memoised: the logbook
 * and the automations' `last_triggered` look at the same changes over and over.
 */
export class EntityChangeIndex {
  private readonly days: DayMemo<readonly StateChange[]>;

  constructor(readonly entity: DemoEntity) {
    this.days = new DayMemo((day) => this.scanDay(day), 40);
  }

  /** Changes whose slot lies in [firstSlot, lastSlot], oldest first. */
  between(firstSlot: number, lastSlot: number): StateChange[] {
    const changes: StateChange[] = [];
    for (let day = floor(firstSlot / SLOTS_PER_DAY); day <= floor(lastSlot / SLOTS_PER_DAY); day++) {
      for (const change of this.days.get(day)) if (change.slot >= firstSlot && change.slot <= lastSlot) changes.push(change);
    }
    return changes;
  }

  /** The latest change at or before `lastSlot` (looking back at most `maxDays`) that satisfies `accept`. */
  latest(lastSlot: number, accept: (change: StateChange) => boolean, maxDays = 45): StateChange | undefined {
    const lastDay = floor(lastSlot / SLOTS_PER_DAY);
    for (let day = lastDay; day > lastDay - maxDays; day--) {
      const changes = this.days.get(day);
      for (let i = changes.length - 1; i >= 0; i--) if (changes[i].slot <= lastSlot && accept(changes[i])) return changes[i];
    }
    return undefined;
  }

  private scanDay(day: number): StateChange[] {
    const first = day * SLOTS_PER_DAY;
    const states = this.entity.statesForSlots(first - 1, first + SLOTS_PER_DAY - 1);
    const changes: StateChange[] = [];
    for (let i = 1; i < states.length; i++) {
      if (states[i] !== states[i - 1]) changes.push({ slot: first + i - 1, state: states[i], previous: states[i - 1] });
    }
    return changes;
  }
}
