import { randomBytes } from 'node:crypto';
import type { HaContext } from '@aether/home-assistant';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh context id in HA's ULID format (10 chars of millisecond time + 16 random). */
export function newContextId(epochMs: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(epochMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');
  return time + random;
}

/** The context a service call runs in; actions it triggers (script steps, scenes) get child contexts. */
export function newContext(epochMs: number, parent?: HaContext): HaContext {
  return { id: newContextId(epochMs), parent_id: parent?.id ?? null, user_id: parent ? parent.user_id : null };
}
