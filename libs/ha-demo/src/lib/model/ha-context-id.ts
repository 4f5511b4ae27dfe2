import { hash32, seedOf } from './deterministic-random';
import { floor, max } from '../time/fast-math';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CONTEXT = seedOf('ha.context');

/**
 * A ULID-shaped context id (HA's format: 10 chars of millisecond time + 16 of randomness), derived
 * from the entity and the change time so the same change always carries the same id.
 */
export function haContextId(entityId: string, epochMs: number): string {
  let time = '';
  let t = max(0, floor(epochMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = floor(t / 32);
  }
  const entitySeed = seedOf(entityId);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[hash32(CONTEXT, entitySeed, floor(epochMs / 1000), i) % 32];
  return time + random;
}
