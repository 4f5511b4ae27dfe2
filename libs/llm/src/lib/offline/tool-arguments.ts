import { effectiveSchema, primaryType, type JsonSchemaNode, type OfflineToolSpec } from './bound-tools';
import { keywordStems, stem, stemSimilarity, words } from './keywords';
import { parseTimeWindowHours } from './time-window';

/** String fields that carry the user's request itself. */
const FREE_TEXT_FIELD = /(?:^|_)(?:query|question|message|text|prompt|request|input|instructions?|task|topic)$/i;
const HOURS_FIELD = /(?:^|_)(?:hours?|time_?window|window)(?:_hours)?$/i;
const DAYS_FIELD = /(?:^|_)days?$/i;
const ENTITY_ID_FIELD = /(?:^|_)entity_?id$/i;
const ENTITY_IDS_FIELD = /(?:^|_)entity_?ids$/i;
/** A Home Assistant entity id, e.g. `light.kitchen_ceiling` (domains are at least 3 letters). */
const ENTITY_ID = /\b[a-z][a-z_]{2,}\.[a-z0-9_]{2,}\b/g;

/**
 * Arguments for calling `spec` on behalf of `userText`, derived from the tool's JSON Schema:
 * free-text fields (query, question, message, …) get the message; `hours`/`days` the time window it
 * names; `entity_id(s)` the entity ids it mentions; enums the values it names; anything else the
 * schema default. `complete` is false when a required field could not be filled, so the caller can
 * pick another tool instead of making a call that would fail validation.
 */
export function deriveToolArguments(
  spec: OfflineToolSpec,
  userText: string,
): { args: Record<string, unknown>; complete: boolean } {
  const required = new Set(spec.parameters.required ?? []);
  const args: Record<string, unknown> = {};
  let complete = true;
  for (const [field, raw] of Object.entries(spec.parameters.properties ?? {})) {
    const schema = effectiveSchema(raw);
    const value = deriveField(field, schema, userText, required.has(field));
    if (value !== undefined) args[field] = value;
    else if (required.has(field)) complete = false;
  }
  return { args, complete };
}

function deriveField(field: string, schema: JsonSchemaNode, userText: string, required: boolean): unknown {
  const type = primaryType(schema);

  if (schema.enum && schema.enum.length > 0) {
    const named = schema.enum.filter((option) => mentions(userText, String(option)));
    if (named.length > 0) return named[0];
    // A required choice with no hint and no default: the first option is a valid, stable pick.
    return schema.default ?? (required ? schema.enum[0] : undefined);
  }

  if (type === 'array') {
    const items = schema.items ? effectiveSchema(schema.items) : {};
    if (items.enum && items.enum.length > 0) {
      const named = items.enum.filter((option) => mentions(userText, String(option)));
      if (named.length > 0) return named;
    } else if (ENTITY_IDS_FIELD.test(field)) {
      const ids = entityIds(userText);
      if (ids.length > 0) return ids;
    }
    if (schema.default !== undefined) return schema.default;
    return required && !(schema.minItems && schema.minItems > 0) ? [] : undefined;
  }

  if (type === 'number' || type === 'integer') {
    const hours = HOURS_FIELD.test(field) || DAYS_FIELD.test(field) ? parseTimeWindowHours(userText) : undefined;
    if (hours !== undefined) {
      const amount = DAYS_FIELD.test(field) ? hours / 24 : hours;
      return fitNumber(amount, schema, type === 'integer');
    }
    return schema.default;
  }

  if (type === 'string') {
    if (FREE_TEXT_FIELD.test(field)) return userText.trim();
    if (ENTITY_ID_FIELD.test(field)) return entityIds(userText)[0] ?? schema.default;
    return schema.default;
  }

  // Booleans: a required flag without default is left off (false) — the cautious reading.
  if (type === 'boolean') return schema.default ?? (required ? false : undefined);

  return schema.default;
}

/** Rounds up for integers and clamps into the schema's bounds. */
function fitNumber(value: number, schema: JsonSchemaNode, integer: boolean): number {
  let result = integer ? Math.max(1, Math.ceil(value)) : value;
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  if (min !== undefined && result < min) result = schema.minimum ?? (integer ? min + 1 : min);
  if (max !== undefined && result > max) result = schema.maximum ?? (integer ? max - 1 : max);
  return result;
}

/**
 * True when every meaningful word of `phrase` (e.g. an enum value) appears in `text`, allowing
 * related forms ("behavioral" is mentioned by "behaviour").
 */
function mentions(text: string, phrase: string): boolean {
  const textStems = words(text).map(stem);
  const phraseStems = keywordStems(phrase);
  const needed = phraseStems.length > 0 ? phraseStems : words(phrase).map(stem);
  return needed.length > 0 && needed.every((p) => textStems.some((t) => stemSimilarity(p, t) > 0));
}

function entityIds(text: string): string[] {
  return [...new Set(text.toLowerCase().match(ENTITY_ID) ?? [])];
}
