import { SLOT_MS } from '../../time/slot-time';
import { hash32, seedOf } from '../deterministic-random';
import { floor } from '../../time/fast-math';
import type { ChangeCause } from '../change-cause';

export type EntityAttributes = Record<string, unknown>;

/**
 * An entity of the demo house. Its state is a pure function of the 5-minute slot; the state for a
 * slot becomes visible `reportDelayMs` after the slot starts (real integrations report a little
 * after the fact, and it keeps change times off round instants, so history windows on whole
 * minutes never start exactly on a change).
 */
export abstract class DemoEntity {
  readonly reportDelayMs: number;

  protected constructor(readonly entityId: string) {
    this.reportDelayMs = 1_500 + (hash32(seedOf(entityId), 0) % 40_000);
  }

  get domain(): string {
    return this.entityId.slice(0, this.entityId.indexOf('.'));
  }

  abstract stateForSlot(slot: number): string;

  abstract attributesForSlot(slot: number, state: string): EntityAttributes;

  /** Who or what made the state that starts in `slot` (null: nothing traceable, e.g. a sensor reporting). */
  changeCause(_slot: number, _state: string): ChangeCause | null {
    return null;
  }

  /** States for consecutive slots first…last (inclusive); cumulative entities override this for speed. */
  statesForSlots(first: number, last: number): string[] {
    const states: string[] = [];
    for (let slot = first; slot <= last; slot++) states.push(this.stateForSlot(slot));
    return states;
  }

  /** The slot whose state is shown at the instant `epochMs`. */
  slotShownAt(epochMs: number): number {
    return floor((epochMs - this.reportDelayMs) / SLOT_MS);
  }

  /** The instant the slot's state is reported. */
  reportTimeOf(slot: number): number {
    return slot * SLOT_MS + this.reportDelayMs;
  }
}

/** HA renders numeric sensor states as plain decimal strings. */
export function formatDecimal(value: number, decimals: number): string {
  const rounded = Number(value.toFixed(decimals));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
