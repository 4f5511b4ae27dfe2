import { z } from 'zod';
import { haSlugify } from '@aether/core';
import { isRecord } from './json-values';

/**
 * The HA config contract: what Home Assistant accepts for automation, script and scene configs
 * written through `/api/config/<kind>/config/<id>`, and the reason it gives when it refuses
 * (`Message malformed: <reason>`, or `Key malformed: <reason>` for a script's key). It follows
 * HA's own validators (`automation/config.py`, `script/config.py`, `helpers/config_validation.py`,
 * `helpers/trigger.py`) — as strict as HA, not stricter. The demo home validates writes with it;
 * Aether can pre-validate a draft with it before proposing it.
 */
export type HaConfigKind = 'automation' | 'script' | 'scene';

export type HaConfigVerdict = { ok: true } | { ok: false; reason: string };

/** Trigger platforms of a core installation (`helpers/trigger.py` resolves an integration by this name). */
export const HA_TRIGGER_PLATFORMS = [
  'calendar', 'conversation', 'device', 'event', 'geo_location', 'homeassistant', 'mqtt', 'numeric_state', 'persistent_notification',
  'state', 'sun', 'tag', 'template', 'time', 'time_pattern', 'webhook', 'zone',
] as const;
/** HA's `_PLATFORM_ALIASES`. */
const TRIGGER_PLATFORM_ALIASES: Record<string, string> = { device_automation: 'device', homeassistant: 'homeassistant' };

/** Condition types `cv.CONDITION_SCHEMA` dispatches on (its message lists them in this order). */
export const HA_CONDITION_TYPES = ['and', 'device', 'not', 'numeric_state', 'or', 'state', 'sun', 'template', 'time', 'trigger', 'zone'] as const;

/** The keys by which `cv.determine_script_action` recognises an action, in its order. */
const ACTION_KEYS = [
  'delay', 'wait_template', 'condition', 'event', 'action', 'service', 'scene', 'wait_for_trigger', 'variables', 'repeat', 'choose',
  'if', 'device_id', 'stop', 'parallel', 'sequence', 'set_conversation_response',
] as const;

/** HA's `valid_entity_id` (after `cv.entity_id` lower-cases the value). */
const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
const UUID_HEX = /^[\da-f]{32}$/;
/** `cv.slug`: what a script's key may be. */
const SLUG = /^[a-z0-9_]+$/;
const MODES = ['single', 'restart', 'queued', 'parallel'] as const;

class Invalid extends Error {
  constructor(
    message: string,
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
  }
}

/** voluptuous' rendering of an error: `message @ data['a'][0]`. */
function render(error: Invalid): string {
  return error.path.length === 0 ? error.message : `${error.message} @ data${error.path.map((key) => `[${typeof key === 'number' ? key : `'${key}'`}]`).join('')}`;
}

function isTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{\{|\{%/.test(value);
}

/** `cv.ensure_list`. */
function asList(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** `cv.comp_entity_ids` / `cv.entity_ids_or_uuids`: one id, a comma list, or a list; `all`/`none` where allowed. */
function checkEntityIds(value: unknown, path: (string | number)[], { allowAll = false, allowUuid = true } = {}): void {
  if (isTemplate(value)) return;
  const ids = typeof value === 'string' ? value.split(',').map((id) => id.trim()) : asList(value);
  for (const id of ids) {
    if (typeof id !== 'string') throw new Invalid('expected str for dictionary value', path);
    const lower = id.toLowerCase();
    if (allowAll && (lower === 'all' || lower === 'none')) continue;
    if (VALID_ENTITY_ID.test(lower) || (allowUuid && UUID_HEX.test(lower))) continue;
    throw new Invalid(allowUuid ? `Entity ${id} is neither a valid entity ID nor a valid UUID for dictionary value` : `Entity ID ${id} is an invalid entity ID for dictionary value`, path);
  }
}

function checkTriggers(value: unknown, key: string): void {
  asList(value).forEach((trigger, index) => {
    const path = [key, index];
    if (!isRecord(trigger)) throw new Invalid('expected a dictionary', path);
    // A trigger list may nest `triggers:` lists (`_base_trigger_list_flatten`).
    if ('triggers' in trigger && !('trigger' in trigger) && !('platform' in trigger)) return checkTriggers(trigger['triggers'], key);
    if ('trigger' in trigger && 'platform' in trigger) throw new Invalid("Cannot specify both 'platform' and 'trigger'. Please use 'trigger' only.", path);
    const platform = trigger['trigger'] ?? trigger['platform'];
    if (platform === undefined) throw new Invalid('required key not provided', [...path, 'trigger']);
    if (typeof platform !== 'string') throw new Invalid('expected str', [...path, 'trigger']);
    const integration = platform.split('.')[0];
    const resolved = TRIGGER_PLATFORM_ALIASES[integration] ?? integration;
    // HA raises this one from the platform lookup, outside the schema: it carries no path.
    if (!(HA_TRIGGER_PLATFORMS as readonly string[]).includes(resolved)) throw new Invalid(`Invalid trigger '${platform}' specified`);
    if (resolved === 'state' || resolved === 'numeric_state') {
      if (trigger['entity_id'] === undefined) throw new Invalid('required key not provided', ['entity_id']);
      checkEntityIds(trigger['entity_id'], ['entity_id']);
    }
  });
}

function checkConditions(value: unknown, path: (string | number)[]): void {
  asList(value).forEach((condition, index) => checkCondition(condition, [...path, index]));
}

function checkCondition(condition: unknown, path: (string | number)[]): void {
  // A bare template string is the template condition's shorthand.
  if (typeof condition === 'string') {
    if (isTemplate(condition)) return;
    throw new Invalid(`Expected a dictionary`, path);
  }
  if (!isRecord(condition)) throw new Invalid('Expected a dictionary', path);
  const type = condition['condition'];
  // `{and: [...]}`, `{or: [...]}`, `{not: [...]}` shorthands.
  const shorthand = (['and', 'or', 'not'] as const).find((key) => key in condition && type === undefined);
  if (shorthand) return checkConditions(condition[shorthand], [...path, shorthand]);
  if (type === undefined) throw new Invalid('required key not provided', [...path, 'condition']);
  if (typeof type !== 'string' || !(HA_CONDITION_TYPES as readonly string[]).includes(type)) {
    throw new Invalid(`Unexpected value for condition: '${String(type)}'. Expected ${HA_CONDITION_TYPES.join(', ')}`, path);
  }
  if (type === 'and' || type === 'or' || type === 'not') checkConditions(condition['conditions'], [...path, 'conditions']);
  if (type === 'state' || type === 'numeric_state') {
    if (condition['entity_id'] === undefined) throw new Invalid('required key not provided', [...path, 'entity_id']);
    checkEntityIds(condition['entity_id'], [...path, 'entity_id']);
  }
}

function checkActions(value: unknown, path: (string | number)[]): void {
  asList(value).forEach((action, index) => checkAction(action, [...path, index]));
}

function checkAction(action: unknown, path: (string | number)[]): void {
  if (!isRecord(action)) throw new Invalid('expected a dictionary', path);
  const kind = ACTION_KEYS.find((key) => key in action);
  if (!kind) throw new Invalid('Unable to determine action', path);
  switch (kind) {
    case 'action':
    case 'service': {
      const service = action[kind];
      if (isTemplate(service)) break;
      if (typeof service !== 'string' || !VALID_ENTITY_ID.test(service.toLowerCase())) throw new Invalid(`Service ${String(service)} does not match format <domain>.<name> for dictionary value`, [...path, kind]);
      const target = action['target'];
      if (target !== undefined && !isTemplate(target)) {
        if (!isRecord(target)) throw new Invalid('expected a dictionary for dictionary value', [...path, 'target']);
        if (target['entity_id'] !== undefined) checkEntityIds(target['entity_id'], [...path, 'target', 'entity_id'], { allowAll: true });
      }
      if (action['entity_id'] !== undefined) checkEntityIds(action['entity_id'], [...path, 'entity_id'], { allowAll: true });
      break;
    }
    case 'condition':
      checkCondition(action, path);
      break;
    case 'scene':
      checkEntityIds(action['scene'], [...path, 'scene'], { allowUuid: false });
      break;
    case 'repeat':
      if (!isRecord(action['repeat'])) throw new Invalid('expected a dictionary for dictionary value', [...path, 'repeat']);
      if (action['repeat']['sequence'] === undefined) throw new Invalid('required key not provided', [...path, 'repeat', 'sequence']);
      checkActions(action['repeat']['sequence'], [...path, 'repeat', 'sequence']);
      break;
    case 'choose':
      asList(action['choose']).forEach((option, index) => {
        const optionPath = [...path, 'choose', index];
        if (!isRecord(option)) throw new Invalid('expected a dictionary', optionPath);
        if (option['sequence'] === undefined) throw new Invalid('required key not provided', [...optionPath, 'sequence']);
        checkConditions(option['conditions'], [...optionPath, 'conditions']);
        checkActions(option['sequence'], [...optionPath, 'sequence']);
      });
      if (action['default'] !== undefined) checkActions(action['default'], [...path, 'default']);
      break;
    case 'if':
      checkConditions(action['if'], [...path, 'if']);
      if (action['then'] === undefined) throw new Invalid('required key not provided', [...path, 'then']);
      checkActions(action['then'], [...path, 'then']);
      if (action['else'] !== undefined) checkActions(action['else'], [...path, 'else']);
      break;
    case 'parallel':
    case 'sequence':
      checkActions(action[kind], [...path, kind]);
      break;
    case 'wait_for_trigger':
      checkTriggers(action['wait_for_trigger'], 'wait_for_trigger');
      break;
  }
}

const BLUEPRINT_USE = z.looseObject({ path: z.string(), input: z.record(z.string(), z.unknown()).optional() });

/** The keys HA's schemas type-check, beyond the lists walked by hand above. */
const AUTOMATION_KEYS = z.looseObject({
  id: z.string().optional(),
  alias: z.string().optional(),
  description: z.string().optional(),
  mode: z.enum(MODES).optional(),
  initial_state: z.boolean().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  use_blueprint: BLUEPRINT_USE.optional(),
});
const SCRIPT_KEYS = z.looseObject({
  alias: z.string().optional(),
  description: z.string().optional(),
  icon: z.string().optional(),
  mode: z.enum(MODES).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  use_blueprint: BLUEPRINT_USE.optional(),
});
const SCENE_KEYS = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  icon: z.string().optional(),
  entities: z.record(z.string(), z.unknown()),
});

function checkKeys(schema: z.ZodType, config: Record<string, unknown>): void {
  const result = schema.safeParse(config);
  if (result.success) return;
  const issue = result.error.issues[0];
  const missing = issue.code === 'invalid_type' && issue.path.length === 1 && config[String(issue.path[0])] === undefined;
  throw new Invalid(missing ? 'required key not provided' : issue.code === 'invalid_value' ? `value must be one of [${issue.values.map((v) => `'${String(v)}'`).join(', ')}] for dictionary value` : `${issue.message} for dictionary value`, issue.path as (string | number)[]);
}

/** `cv.renamed`-style pairs: HA accepts the old singular key, but not both. */
function pluralOf(config: Record<string, unknown>, plural: string, singular: string): unknown {
  if (plural in config && singular in config) throw new Invalid(`Cannot specify both '${singular}' and '${plural}'. Please use '${plural}' only.`);
  return config[plural] ?? config[singular];
}

function checkAutomation(config: Record<string, unknown>): void {
  checkKeys(AUTOMATION_KEYS, config);
  // A blueprint-based automation's triggers and actions come from its blueprint.
  if (config['use_blueprint'] !== undefined) return;
  const triggers = pluralOf(config, 'triggers', 'trigger');
  const conditions = pluralOf(config, 'conditions', 'condition');
  const actions = pluralOf(config, 'actions', 'action');
  if (triggers === undefined) throw new Invalid('required key not provided', ['triggers']);
  if (actions === undefined) throw new Invalid('required key not provided', ['actions']);
  checkTriggers(triggers, 'triggers');
  checkConditions(conditions, ['conditions']);
  checkActions(actions, ['actions']);
}

function checkScript(config: Record<string, unknown>): void {
  checkKeys(SCRIPT_KEYS, config);
  if (config['use_blueprint'] !== undefined) return;
  if (config['sequence'] === undefined) throw new Invalid('required key not provided', ['sequence']);
  checkActions(config['sequence'], ['sequence']);
}

function checkScene(config: Record<string, unknown>): void {
  checkKeys(SCENE_KEYS, config);
  for (const entityId of Object.keys(config['entities'] as Record<string, unknown>)) {
    if (!VALID_ENTITY_ID.test(entityId.toLowerCase())) throw new Invalid(`Entity ID ${entityId} is an invalid entity ID`, ['entities']);
  }
}

/**
 * Validates a config as HA's config view does before writing it. The refusal's `reason` is the
 * body's `message` HA answers with its 400 (`Message malformed: …` / `Key malformed: …`).
 */
export function validateHaConfig(kind: HaConfigKind, key: string, body: unknown): HaConfigVerdict {
  if (kind === 'script' && !SLUG.test(key)) return { ok: false, reason: `Key malformed: invalid slug ${key} (try ${haSlugify(key) || 'script'})` };
  try {
    if (!isRecord(body)) throw new Invalid('expected a dictionary');
    if (kind === 'automation') checkAutomation(body);
    else if (kind === 'script') checkScript(body);
    else checkScene(body);
    return { ok: true };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: `Message malformed: ${render(error)}` };
    throw error;
  }
}
