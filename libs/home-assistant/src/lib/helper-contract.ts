import { HELPER_DOMAINS, type HelperDomain } from '@aether/core';

/**
 * Home Assistant's UI helpers (the `input_…` storage collections) as HA core defines them: each
 * domain's STORAGE_FIELDS and validators (homeassistant/components/input_…/__init__.py), the
 * WebSocket commands `<domain>/list|create|update|delete` (helpers/collection.py), and the messages
 * HA's voluptuous schemas answer with. One contract, read by the client that creates helpers and by
 * the demo home that must refuse what HA refuses. Written by hand: HA's schemas are Python
 * (voluptuous) and no library carries them.
 */
export { HELPER_DOMAINS };
export type HaHelperDomain = HelperDomain;

export function isHelperDomain(value: unknown): value is HaHelperDomain {
  return typeof value === 'string' && (HELPER_DOMAINS as readonly string[]).includes(value);
}

/** A helper's stored config: what `<domain>/list` lists and `create`/`update` answer (with its `id`). */
export type HaHelperConfig = Record<string, unknown> & { name: string };
export type HaHelperItem = HaHelperConfig & { id: string };

export type HelperVerdict = { ok: true; config: HaHelperConfig } | { ok: false; reason: string };

type Field = (value: unknown, key: string) => unknown;

class Invalid extends Error {}

const at = (key: string) => `@ data['${key}']`;
const name: Field = (value, key) => {
  if (typeof value !== 'string') throw new Invalid(`expected str for dictionary value ${at(key)}`);
  if (value.length < 1) throw new Invalid(`length of value must be at least 1 for dictionary value ${at(key)}`);
  return value;
};
const text: Field = (value, key) => {
  // cv.string: numbers are turned into strings, lists and dicts refused.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new Invalid(`expected str for dictionary value ${at(key)}`);
  return value;
};
const float: Field = (value, key) => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new Invalid(`expected float for dictionary value ${at(key)}`);
  return number;
};
const int: Field = (value, key) => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new Invalid(`expected int for dictionary value ${at(key)}`);
  return Math.trunc(number);
};
const boolean: Field = (value, key) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const word = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (word && ['1', 'true', 'yes', 'on', 'enable'].includes(word)) return true;
  if (word && ['0', 'false', 'no', 'off', 'disable'].includes(word)) return false;
  throw new Invalid(`invalid boolean value ${JSON.stringify(value)} for dictionary value ${at(key)}`);
};
const icon: Field = (value, key) => {
  if (typeof value !== 'string' || !value.includes(':')) throw new Invalid(`Icons should be specified in the form "prefix:name" for dictionary value ${at(key)}`);
  return value;
};
const oneOf =
  (...choices: string[]): Field =>
  (value, key) => {
    if (typeof value !== 'string' || !choices.includes(value)) throw new Invalid(`value must be one of [${choices.map((c) => `'${c}'`).join(', ')}] for dictionary value ${at(key)}`);
    return value;
  };
const range =
  (field: Field, min: number, max: number): Field =>
  (value, key) => {
    const number = field(value, key) as number;
    if (number < min) throw new Invalid(`value must be at least ${min} for dictionary value ${at(key)}`);
    if (number > max) throw new Invalid(`value must be at most ${max} for dictionary value ${at(key)}`);
    return number;
  };
const options: Field = (value, key) => {
  const list = Array.isArray(value) ? value : [value];
  if (list.length < 1) throw new Invalid(`length of value must be at least 1 for dictionary value ${at(key)}`);
  const strings = list.map((item, i) => text(item, `${key}'][${i}`) as string);
  if (new Set(strings).size !== strings.length) throw new Invalid(`Duplicate options are not allowed for dictionary value ${at(key)}`);
  return strings;
};

interface DomainSchema {
  required: Record<string, Field>;
  optional: Record<string, Field>;
  defaults?: Record<string, unknown>;
  /** The domain's whole-config rule (`_cv_input_number`, …), after the fields. */
  check?: (config: HaHelperConfig) => void;
}

const SCHEMAS: Record<HaHelperDomain, DomainSchema> = {
  input_boolean: { required: { name }, optional: { initial: boolean, icon } },
  input_button: { required: { name }, optional: { icon } },
  input_number: {
    required: { name, min: float, max: float },
    optional: { initial: float, step: range(float, 1e-9, Infinity), icon, unit_of_measurement: text, mode: oneOf('box', 'slider') },
    defaults: { step: 1, mode: 'slider' },
    check: (c) => {
      const [min, max] = [c['min'] as number, c['max'] as number];
      if (min >= max) throw new Invalid(`Maximum (${pyFloat(min)}) is not greater than minimum (${pyFloat(max)})`);
      const initial = c['initial'] as number | undefined;
      if (initial !== undefined && (initial < min || initial > max)) throw new Invalid(`Initial value ${pyFloat(initial)} not in range ${pyFloat(min)}-${pyFloat(max)}`);
    },
  },
  input_select: {
    required: { name, options },
    optional: { initial: text, icon },
    check: (c) => {
      const initial = c['initial'];
      if (initial !== undefined && !(c['options'] as string[]).includes(initial as string)) {
        throw new Invalid(`initial state "${String(initial)}" is not part of the options: ${(c['options'] as string[]).join(',')}`);
      }
    },
  },
  input_text: {
    required: { name },
    optional: { min: range(int, 0, 255), max: range(int, 0, 255), initial: text, icon, unit_of_measurement: text, pattern: text, mode: oneOf('text', 'password') },
    defaults: { min: 0, max: 100, mode: 'text' },
    check: (c) => {
      const [min, max] = [c['min'] as number, c['max'] as number];
      if (min > max) throw new Invalid(`Max len (${min}) is not greater than min len (${max})`);
      const initial = c['initial'] as string | undefined;
      if (initial !== undefined && (initial.length < min || initial.length > max)) throw new Invalid(`Initial value ${initial} length not in range ${min}-${max}`);
    },
  },
  input_datetime: {
    required: { name },
    optional: { has_date: boolean, has_time: boolean, icon, initial: text },
    defaults: { has_date: false, has_time: false },
    check: (c) => {
      if (!c['has_date'] && !c['has_time']) throw new Invalid('Entity needs at least a date or a time');
      const initial = c['initial'] as string | undefined;
      if (initial !== undefined && !initialDatetimeOk(initial, c['has_date'] as boolean, c['has_time'] as boolean)) throw new Invalid(`Initial value '${initial}' can't be parsed as a datetime`);
    },
  },
};

/**
 * A helper config as HA's storage collection validates it for `create` (and, as HA replaces the
 * whole item, for `update`): required fields, the fields' types, the domain's rule, HA's defaults
 * applied. Unknown keys are refused, as HA's schema does (`extra keys not allowed`).
 */
export function validateHelperConfig(domain: HaHelperDomain, data: unknown): HelperVerdict {
  const schema = SCHEMAS[domain];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'expected a dictionary' };
  const input = data as Record<string, unknown>;
  try {
    const config: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.required)) {
      if (input[key] === undefined) throw new Invalid(`required key not provided ${at(key)}`);
      config[key] = field(input[key], key);
    }
    for (const [key, value] of Object.entries(input)) {
      if (key in schema.required) continue;
      const field = schema.optional[key];
      if (!field) throw new Invalid(`extra keys not allowed ${at(key)}`);
      if (value !== undefined) config[key] = field(value, key);
    }
    for (const [key, value] of Object.entries(schema.defaults ?? {})) if (config[key] === undefined) config[key] = value;
    schema.check?.(config as HaHelperConfig);
    return { ok: true, config: config as HaHelperConfig };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Python's `str(float)`: 30 → "30.0". */
function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function initialDatetimeOk(value: string, hasDate: boolean, hasTime: boolean): boolean {
  if (hasDate && hasTime) return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(value);
  if (hasDate) return /^\d{4}-\d{2}-\d{2}$/.test(value);
  return /^\d{1,2}:\d{2}(:\d{2})?$/.test(value);
}
