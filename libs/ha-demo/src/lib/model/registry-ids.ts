import { hash32, seedOf } from './deterministic-random';
import { haContextId } from './ha-context-id';

/** A 32-hex-digit registry id (HA's `uuid4().hex` shape), stable for the same name. */
export function registryHexId(name: string): string {
  const seed = seedOf(name);
  let hex = '';
  for (let i = 0; i < 4; i++) hex += hash32(seed, i).toString(16).padStart(8, '0');
  return hex;
}

/** A config entry id: HA uses ULIDs; this one's time part is when the integration was added. */
export function configEntryId(key: string, addedAtMs: number): string {
  return haContextId(`config_entry.${key}`, addedAtMs);
}
