import type { ChangeCause } from '../change-cause';
import { DemoEntity, type EntityAttributes } from './demo-entity';

export interface ComputedEntitySpec {
  entityId: string;
  state: (slot: number) => string;
  attributes: (slot: number, state: string) => EntityAttributes;
  /** Who or what made the state that starts in `slot` (only asked at changes). */
  cause?: (slot: number, state: string) => ChangeCause | null;
}

/**
 * An entity whose state, attributes and change causes are plain functions of the slot. Most of the
 * house (lights, covers, locks, helpers…) is a one-line rule over the routine and the habits, so a
 * class per entity would only repeat the constructor.
 */
export class ComputedEntity extends DemoEntity {
  constructor(private readonly spec: ComputedEntitySpec) {
    super(spec.entityId);
  }

  stateForSlot(slot: number): string {
    return this.spec.state(slot);
  }

  attributesForSlot(slot: number, state: string): EntityAttributes {
    return this.spec.attributes(slot, state);
  }

  override changeCause(slot: number, state: string): ChangeCause | null {
    return this.spec.cause ? this.spec.cause(slot, state) : null;
  }
}
