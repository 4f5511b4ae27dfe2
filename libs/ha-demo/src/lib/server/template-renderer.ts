import type { HaEntityState } from '@aether/home-assistant';
import nunjucks from 'nunjucks';
import type { HomeModel } from '../model/home-model';
import { HaDateTimeValue } from './ha-datetime-value';

/** A template HA could not render: REST 400 `{"message": "Error rendering template: <message>"}`. */
export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

/** Raised by helpers the way HA's raise `ValueError` (e.g. `float` without a default on bad input). */
class TemplateValueError extends Error {}

/** Member names whose lookup would reach JavaScript internals (`x.constructor("…")()` would run code). */
const FORBIDDEN_MEMBERS = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
let memberLookupGuarded = false;

/**
 * Closes nunjucks' known sandbox escape: templates come from API callers (and, through Aether,
 * from language models), so member access must never reach constructors or prototypes.
 */
function guardMemberLookup(): void {
  if (memberLookupGuarded) return;
  const runtime = nunjucks.runtime as unknown as { memberLookup: (obj: unknown, name: unknown) => unknown };
  const original = runtime.memberLookup;
  runtime.memberLookup = (obj: unknown, name: unknown) => (typeof name === 'string' && FORBIDDEN_MEMBERS.has(name) ? undefined : original(obj, name));
  memberLookupGuarded = true;
}

/** How an entity looks inside a template (`states.light.kitchen`), like HA's `TemplateState`. */
interface TemplateState {
  entity_id: string;
  domain: string;
  object_id: string;
  name: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: HaDateTimeValue;
  last_updated: HaDateTimeValue;
  context: unknown;
  toString(): string;
}

/**
 * Renders HA templates with nunjucks (Jinja's JavaScript sibling: same `{{ }}`/`{% %}` syntax,
 * filters with `|`). The supported subset of HA's helpers:
 * - `states('sensor.x')` (→ 'unknown' when missing), `states.sensor.x.state`, `states.sensor.x.attributes.y`,
 *   `states.light` (iterable list of the domain's entities), `is_state(id, value|list)`,
 *   `state_attr(id, name)`, `is_state_attr(id, name, value)`, `has_value(id)`;
 * - `now()`, `utcnow()` (datetime-like: `.year` … `.second`, `.weekday()`, `.isoformat()`,
 *   `.timestamp()`, `.strftime()`), `as_timestamp(x, default)`, `as_datetime(x)`;
 * - `float`, `int`, `round(precision)`, `is_number` as filters and functions (with HA's
 *   "no default was specified" error), `bool`;
 * - `selectattr`/`rejectattr` with the `eq`/`ne`/`in`/`defined` tests, `map(attribute='x')`,
 *   `list`, `count`, `join`, `sort`… (nunjucks' own filters);
 * - `area_entities(area)`, `area_name(entity or area)`, `area_id(entity)`.
 * Not supported: `timedelta` arithmetic, `expand`, device/label/floor helpers, `namespace`;
 * `None` renders as an empty string (Jinja prints "None").
 */
export function renderTemplate(source: string, home: HomeModel, nowMs: number, variables: Record<string, unknown> = {}): string {
  guardMemberLookup();
  const env = new nunjucks.Environment(null, { autoescape: false });
  const states = home.states(nowMs);
  const byId = new Map(states.map((state) => [state.entity_id, state]));
  const calendar = home.calendar;
  const templateStates = new Map<string, TemplateState>();
  const templateState = (state: HaEntityState): TemplateState => {
    let cached = templateStates.get(state.entity_id);
    if (!cached) {
      const [domain, objectId] = state.entity_id.split('.');
      cached = {
        entity_id: state.entity_id,
        domain,
        object_id: objectId,
        name: String(state.attributes['friendly_name'] ?? objectId.replaceAll('_', ' ')),
        state: state.state,
        attributes: state.attributes,
        last_changed: new HaDateTimeValue(Date.parse(state.last_changed), calendar),
        last_updated: new HaDateTimeValue(Date.parse(state.last_updated), calendar),
        context: state.context,
        toString: () => `<template TemplateState(<state ${state.entity_id}=${state.state}; ...>)>`,
      };
      templateStates.set(state.entity_id, cached);
    }
    return cached;
  };

  // `states` is both a function and an object of domains, as in HA.
  const statesHelper = (entityId: string) => byId.get(String(entityId).toLowerCase())?.state ?? 'unknown';
  const domains = new Map<string, TemplateState[] & Record<string, TemplateState>>();
  for (const state of states) {
    const domain = state.entity_id.split('.')[0];
    let list = domains.get(domain);
    if (!list) {
      list = Object.assign([] as TemplateState[], {}) as TemplateState[] & Record<string, TemplateState>;
      domains.set(domain, list);
    }
    const value = templateState(state);
    list.push(value);
    list[value.object_id] = value;
  }
  for (const [domain, list] of domains) Object.defineProperty(statesHelper, domain, { value: list, enumerable: true, configurable: true });

  const floatOf = (name: string) => (value: unknown, fallback?: unknown) => {
    const number = toNumber(value);
    if (number !== undefined) return number;
    if (fallback !== undefined) return fallback;
    throw new TemplateValueError(`Template error: ${name} got invalid input '${String(value)}' when rendering template '${source}' but no default was specified`);
  };
  const toFloat = floatOf('float');
  const toIntFn = floatOf('int');
  const toInt = (value: unknown, fallback?: unknown) => {
    const number = toIntFn(value, fallback);
    return typeof number === 'number' ? Math.trunc(number) : number;
  };
  const roundTo = (value: unknown, precision = 0, method: string | unknown = 'common', fallback?: unknown) => {
    const number = floatOf('round')(value, fallback);
    if (typeof number !== 'number') return number;
    const factor = 10 ** Number(precision);
    const scaled = number * factor;
    const rounded = method === 'floor' ? Math.floor(scaled) : method === 'ceil' ? Math.ceil(scaled) : Math.round(scaled);
    return rounded / factor;
  };
  const asTimestamp = (value: unknown, fallback?: unknown) => {
    const ms = value instanceof HaDateTimeValue ? value.epochMs : typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
    if (!Number.isNaN(ms)) return ms / 1000;
    if (fallback !== undefined) return fallback;
    throw new TemplateValueError(`Template error: as_timestamp got invalid input '${String(value)}' when rendering template '${source}' but no default was specified`);
  };
  const asDatetime = (value: unknown, fallback?: unknown) => {
    const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? (fallback ?? null) : new HaDateTimeValue(ms, calendar);
  };
  const registries = () => home.registries();
  const areaOf = (entityId: string): string | null => {
    const { entities, devices } = registries();
    const entry = entities.find((candidate) => candidate.entity_id === entityId);
    if (!entry) return null;
    return entry.area_id ?? devices.find((device) => device.id === entry.device_id)?.area_id ?? null;
  };

  const helpers: Record<string, unknown> = {
    states: statesHelper,
    is_state: (entityId: string, value: unknown) => {
      const state = byId.get(entityId)?.state;
      return Array.isArray(value) ? value.includes(state) : state === value;
    },
    state_attr: (entityId: string, name: string) => byId.get(entityId)?.attributes[name] ?? null,
    is_state_attr: (entityId: string, name: string, value: unknown) => byId.get(entityId)?.attributes[name] === value,
    has_value: (entityId: string) => {
      const state = byId.get(entityId)?.state;
      return state !== undefined && state !== 'unknown' && state !== 'unavailable';
    },
    now: () => new HaDateTimeValue(nowMs, calendar),
    utcnow: () => new HaDateTimeValue(nowMs, undefined),
    as_timestamp: asTimestamp,
    as_datetime: asDatetime,
    float: toFloat,
    int: toInt,
    is_number: (value: unknown) => toNumber(value) !== undefined,
    area_id: (entityId: string) => areaOf(entityId),
    area_name: (lookup: string) => {
      const { areas } = registries();
      const areaId = areas.some((area) => area.area_id === lookup) ? lookup : areaOf(lookup);
      return areas.find((area) => area.area_id === areaId)?.name ?? null;
    },
    area_entities: (area: string) => {
      const { areas } = registries();
      const areaId = areas.find((candidate) => candidate.area_id === area || candidate.name.toLowerCase() === String(area).toLowerCase())?.area_id;
      if (!areaId) return [];
      return states.map((state) => state.entity_id).filter((id) => areaOf(id) === areaId);
    },
  };
  for (const [name, value] of Object.entries(helpers)) env.addGlobal(name, value);
  env.addFilter('float', toFloat);
  env.addFilter('int', toInt);
  env.addFilter('round', roundTo);
  env.addFilter('count', (items: unknown) => (Array.isArray(items) || typeof items === 'string' ? items.length : isPlainObject(items) ? Object.keys(items).length : 0));
  env.addFilter('is_number', (value: unknown) => toNumber(value) !== undefined);
  env.addFilter('as_timestamp', asTimestamp);
  env.addFilter('as_datetime', asDatetime);
  env.addFilter('bool', (value: unknown) => ['true', 'yes', 'on', 'enable', '1'].includes(String(value).toLowerCase()) || value === true || value === 1);
  env.addFilter('selectattr', (items: unknown, attribute: string, test?: string, value?: unknown) => filterBy(items, attribute, test, value, true));
  env.addFilter('rejectattr', (items: unknown, attribute: string, test?: string, value?: unknown) => filterBy(items, attribute, test, value, false));
  env.addFilter('map', (items: unknown, ...args: unknown[]) => {
    const options = args[args.length - 1] as { attribute?: string } | undefined;
    const attribute = typeof options === 'object' && options !== null ? options.attribute : undefined;
    if (!Array.isArray(items)) return [];
    if (attribute) return items.map((item) => pluck(item, attribute));
    const filterName = args[0];
    if (typeof filterName === 'string') return items.map((item) => (env.getFilter(filterName) as (value: unknown) => unknown)(item));
    return items;
  });

  let template: nunjucks.Template;
  try {
    template = new nunjucks.Template(source, env, undefined, true);
  } catch (error) {
    throw new TemplateRenderError(`TemplateSyntaxError: ${describe(error)}`);
  }
  try {
    return template.render(variables);
  } catch (error) {
    const cause = rootCause(error);
    if (cause instanceof TemplateValueError) throw new TemplateRenderError(`ValueError: ${cause.message}`);
    throw new TemplateRenderError(`TemplateError: ${describe(error)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
}

function pluck(item: unknown, path: string): unknown {
  let value: unknown = item;
  for (const key of path.split('.')) {
    if (FORBIDDEN_MEMBERS.has(key) || typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function filterBy(items: unknown, attribute: string, test: string | undefined, value: unknown, keep: boolean): unknown[] {
  if (!Array.isArray(items)) return [];
  const passes = (item: unknown) => {
    const actual = pluck(item, attribute);
    switch (test) {
      case undefined:
        return Boolean(actual);
      case 'eq':
      case '==':
      case 'equalto':
        return actual === value;
      case 'ne':
      case '!=':
        return actual !== value;
      case 'in':
        return Array.isArray(value) ? value.includes(actual) : typeof value === 'string' && value.includes(String(actual));
      case 'defined':
        return actual !== undefined;
      case 'undefined':
        return actual === undefined;
      default:
        throw new TemplateValueError(`No test named '${test}'.`);
    }
  };
  return items.filter((item) => passes(item) === keep);
}

function rootCause(error: unknown): unknown {
  // nunjucks wraps errors thrown in helpers; the original is kept as `cause` in 3.2 on some paths.
  let current = error as { cause?: unknown } | undefined;
  while (current && typeof current === 'object' && 'cause' in current && current.cause) current = current.cause as { cause?: unknown };
  if (current instanceof TemplateValueError) return current;
  const message = error instanceof Error ? error.message : '';
  return message.includes('but no default was specified') || message.includes('No test named') ? new TemplateValueError(extractMessage(message)) : current;
}

function extractMessage(message: string): string {
  const lines = message.split('\n').map((line) => line.trim());
  const last = lines[lines.length - 1] ?? message;
  return last.replace(/^Error:\s*/, '');
}

/** nunjucks' "(unknown path) [Line 1, Column 4]\n  message" as "message (line 1, column 4)". */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(message);
  const text = extractMessage(message);
  return position ? `${text} (line ${position[1]}, column ${position[2]})` : text;
}
