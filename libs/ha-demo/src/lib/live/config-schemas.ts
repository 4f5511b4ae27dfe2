import type { HaAutomationConfig, HaSceneConfig, HaScriptConfig } from '@aether/home-assistant';
import { z } from 'zod';

export type ConfigKind = 'automation' | 'script' | 'scene';

/** A config HA's schema refuses: REST 400 `{"message": "Message malformed: ..."}`. */
export class ConfigMalformedError extends Error {
  constructor(detail: string) {
    super(`Message malformed: ${detail}`);
    this.name = 'ConfigMalformedError';
  }
}

const oneOrMany = z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]);
const MODE = z.enum(['single', 'restart', 'queued', 'parallel']);

const AUTOMATION = z
  .looseObject({
    id: z.string().optional(),
    alias: z.string().optional(),
    description: z.string().optional(),
    mode: MODE.optional(),
    triggers: oneOrMany.optional(),
    trigger: oneOrMany.optional(),
    conditions: oneOrMany.optional(),
    condition: oneOrMany.optional(),
    actions: oneOrMany.optional(),
    action: oneOrMany.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.triggers === undefined && config.trigger === undefined) ctx.addIssue({ code: 'custom', path: ['triggers'], message: 'required key not provided' });
    if (config.actions === undefined && config.action === undefined) ctx.addIssue({ code: 'custom', path: ['actions'], message: 'required key not provided' });
  });

const SCRIPT = z.looseObject({
  alias: z.string().optional(),
  description: z.string().optional(),
  mode: MODE.optional(),
  icon: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  sequence: oneOrMany,
});

const SCENE = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  icon: z.string().optional(),
  entities: z.record(z.string(), z.unknown()),
});

/** HA's `cv.slug`: what a script's object id may be. */
const SLUG = /^[a-z0-9_]+$/;

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConfigMalformedError('expected a dictionary');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const message = issue.message.startsWith('Invalid input: expected') && issue.message.endsWith('received undefined') ? 'required key not provided' : issue.message;
  return fail(`${message} @ data${issue.path.map((key) => `['${String(key)}']`).join('')}`);
}

function fail(detail: string): never {
  throw new ConfigMalformedError(detail);
}

/** Validates a config written through `/api/config/<kind>/config/<id>` and returns it as HA stores it. */
export function validateConfig(kind: 'automation', id: string, body: unknown): HaAutomationConfig;
export function validateConfig(kind: 'script', id: string, body: unknown): HaScriptConfig;
export function validateConfig(kind: 'scene', id: string, body: unknown): HaSceneConfig;
export function validateConfig(kind: ConfigKind, id: string, body: unknown): HaAutomationConfig | HaScriptConfig | HaSceneConfig;
export function validateConfig(kind: ConfigKind, id: string, body: unknown): HaAutomationConfig | HaScriptConfig | HaSceneConfig {
  switch (kind) {
    case 'automation': {
      const config = parse(AUTOMATION, body);
      // HA's key order: id, alias, description, triggers, conditions, actions, then the rest.
      return orderKeys({ ...config, id }, ['id', 'alias', 'description', 'triggers', 'trigger', 'conditions', 'condition', 'actions', 'action']) as HaAutomationConfig;
    }
    case 'script':
      if (!SLUG.test(id)) fail(`invalid slug ${id} (try ${slugify(id) || 'script'})`);
      return orderKeys(parse(SCRIPT, body), ['alias', 'sequence']) as HaScriptConfig;
    case 'scene':
      return orderKeys({ ...parse(SCENE, body), id }, ['id', 'name', 'entities']) as HaSceneConfig;
  }
}

function orderKeys(config: Record<string, unknown>, first: string[]): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of first) if (key in config) ordered[key] = config[key];
  return { ...ordered, ...config };
}

/** HA's `slugify`: lower case, runs of anything else than letters and digits become one underscore. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
