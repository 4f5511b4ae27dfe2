import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { HaConfigKind } from './ha-config-contract';
import { HomeAssistantClient, HomeAssistantError } from './home-assistant.client';
import type { HaAutomationConfig, HaEntityState, HaSceneConfig, HaScriptConfig } from './home-assistant.types';

export interface ConfirmOptions {
  /** How long to wait for HA's reload to show the change (default 10 s). */
  timeoutMs?: number;
}

const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 10_000;

type ConfigOf<K extends HaConfigKind> = K extends 'automation' ? HaAutomationConfig : K extends 'script' ? HaScriptConfig : HaSceneConfig;

/** The entity a config shows as: automations and scenes carry their config id in `attributes.id`, a script is `script.<key>`. */
function configEntity(states: HaEntityState[], kind: HaConfigKind, id: string): HaEntityState | undefined {
  return kind === 'script' ? states.find((state) => state.entity_id === `script.${id}`) : states.find((state) => state.entity_id.startsWith(`${kind}.`) && state.attributes['id'] === id);
}

/** Polls HA's states with backoff (50 ms doubling to 1 s) until `done` holds, or fails after the timeout. */
async function pollStates(ha: HomeAssistantClient, done: (states: HaEntityState[]) => HaEntityState | true | undefined, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
    const outcome = done(await ha.getStates());
    if (outcome) return outcome;
    const left = deadline - Date.now();
    if (left <= 0) throw new HomeAssistantError('timeout', `Home Assistant accepted the ${what}, but its reload did not show it within ${timeoutMs} ms`);
    await delay(Math.min(wait, left));
  }
}

/**
 * Writes a config and resolves only once HA's state shows it: HA answers `{"result":"ok"}` before
 * its reload has run, so the write's answer proves nothing about the entity. Resolves with the
 * entity as it appeared (new config) or changed (new `last_updated` or context, existing config).
 */
export async function saveConfigAndAwaitEntity<K extends HaConfigKind>(ha: HomeAssistantClient, kind: K, id: string, config: ConfigOf<K>, options: ConfirmOptions = {}): Promise<HaEntityState> {
  // An `id` in the body wins over the URL's in HA.
  const entityKey = kind === 'script' ? id : String((config as { id?: unknown }).id ?? id);
  const [states, stored] = await Promise.all([ha.getStates(), readStoredConfig(ha, kind, id)]);
  const before = configEntity(states, kind, entityKey);
  // HA reloads only what changed: the same config written again leaves the entity as it is, so
  // there is no change to wait for.
  const unchanged = before !== undefined && stored !== null && isDeepStrictEqual(stored, kind === 'automation' ? { id: entityKey, ...config } : config);
  if (kind === 'automation') await ha.saveAutomationConfig(id, config as HaAutomationConfig);
  else if (kind === 'script') await ha.saveScriptConfig(id, config as HaScriptConfig);
  else await ha.saveSceneConfig(id, config as HaSceneConfig);
  if (unchanged) return before;
  const shown = await pollStates(
    ha,
    (states) => {
      const entity = configEntity(states, kind, entityKey);
      return entity && (!before || entity.last_updated !== before.last_updated || entity.context?.id !== before.context?.id) ? entity : undefined;
    },
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    `${kind} config '${id}'`,
  );
  return shown as HaEntityState;
}

function readStoredConfig(ha: HomeAssistantClient, kind: HaConfigKind, id: string): Promise<Record<string, unknown> | null> {
  const read = kind === 'automation' ? ha.getAutomationConfig(id) : kind === 'script' ? ha.getScriptConfig(id) : ha.getSceneConfig(id);
  return read as Promise<Record<string, unknown> | null>;
}

/** Deletes a config and resolves once its entity is gone from HA's states. */
export async function deleteConfigAndAwaitRemoval(ha: HomeAssistantClient, kind: HaConfigKind, id: string, options: ConfirmOptions = {}): Promise<void> {
  if (kind === 'automation') await ha.deleteAutomationConfig(id);
  else if (kind === 'script') await ha.deleteScriptConfig(id);
  else await ha.deleteSceneConfig(id);
  await pollStates(ha, (states) => (configEntity(states, kind, id) ? undefined : true), options.timeoutMs ?? DEFAULT_TIMEOUT_MS, `deletion of ${kind} config '${id}'`);
}
