import { floor } from './fast-math';

/**
 * The demo house is simulated in 5-minute slots: every quantity is constant within a slot, so a
 * slot index (slots since the Unix epoch) is the model's unit of time.
 */
export const SLOT_MINUTES = 5;
export const SLOT_MS = SLOT_MINUTES * 60_000;
export const SLOTS_PER_HOUR = 60 / SLOT_MINUTES;
export const SLOTS_PER_DAY = 24 * SLOTS_PER_HOUR;
export const DAY_MS = 86_400_000;

/** The slot containing the instant `epochMs`. */
export function slotContaining(epochMs: number): number {
  return floor(epochMs / SLOT_MS);
}

export function slotStartMs(slot: number): number {
  return slot * SLOT_MS;
}
