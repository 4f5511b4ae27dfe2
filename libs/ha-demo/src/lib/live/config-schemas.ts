import { haSlugify, validateHaConfig, type HaAutomationConfig, type HaConfigKind, type HaSceneConfig, type HaScriptConfig } from '@aether/home-assistant';

export type ConfigKind = HaConfigKind;
export type StoredConfig = HaAutomationConfig | HaScriptConfig | HaSceneConfig;

/** A config HA refuses: REST 400 `{"message": "Message malformed: ..."}` (or `Key malformed: ...`). */
export class ConfigMalformedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ConfigMalformedError';
  }
}

/** Validates a config written through `/api/config/<kind>/config/<id>` by the HA config contract. */
export function validateConfig(kind: ConfigKind, key: string, body: unknown): Record<string, unknown> {
  const verdict = validateHaConfig(kind, key, body);
  if (!verdict.ok) throw new ConfigMalformedError(verdict.reason);
  return body as Record<string, unknown>;
}

/**
 * The config HA stores for a write: the existing one updated with the body (HA's `value.update`),
 * or a new one starting from the URL's id — so an `id` in the body wins over the URL's. Keys in
 * HA's order: id, alias, description, triggers, conditions, actions, then the rest.
 */
export function mergeConfig(kind: ConfigKind, urlId: string, existing: StoredConfig | undefined, body: Record<string, unknown>): StoredConfig {
  const merged = kind === 'script' ? { ...existing, ...body } : { ...(existing ?? { id: urlId }), ...body };
  const first = kind === 'automation' ? ['id', 'alias', 'description', 'triggers', 'trigger', 'conditions', 'condition', 'actions', 'action'] : kind === 'script' ? ['alias', 'sequence'] : ['id', 'name', 'entities'];
  const ordered: Record<string, unknown> = {};
  for (const key of first) if (key in merged) ordered[key] = merged[key as keyof typeof merged];
  return { ...ordered, ...merged } as StoredConfig;
}

export const slugify = haSlugify;
