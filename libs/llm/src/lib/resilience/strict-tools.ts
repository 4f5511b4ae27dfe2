/**
 * OpenAI's strict function calling (`LLM_STRICT_TOOLS`): the model's arguments are guaranteed to
 * match the schema, but only for schemas where every property is required and no other is allowed.
 * An optional property is sent as required-but-nullable, so the model writes `null` where it would
 * have left it out; the tools' own (zod) schemas reject `null` for an optional field, so those nulls
 * are removed from the arguments on the way back, streamed or not. Hand-written: a schema and an
 * SSE rewrite, for which no library exists.
 */
import { rewriteWholeBody } from './whole-body';

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords of the portable subset that strict mode accepts (`minLength`/`maxLength` it does not; the tool still checks them). */
const STRICT_KEYWORDS = new Set(['type', 'description', 'enum', 'properties', 'required', 'items', 'anyOf', 'minimum', 'maximum', 'minItems', 'maxItems', 'format']);

/**
 * A portable schema (see `sanitiseToolSchema`) as strict mode wants it: every object closed
 * (`additionalProperties: false`) with all its properties required, the optional ones and the
 * `nullable` ones accepting `null`.
 */
export function strictToolSchema(portable: Schema): Schema {
  const visit = (node: Schema, nullable: boolean): Schema => {
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (!STRICT_KEYWORDS.has(key)) continue;
      if (key === 'properties' && isObject(value)) continue;
      if (key === 'items' && isObject(value)) out[key] = visit(value, value['nullable'] === true);
      else if (key === 'anyOf' && Array.isArray(value)) out[key] = value.map((variant) => (isObject(variant) ? visit(variant, variant['nullable'] === true) : variant));
      else if (key !== 'required') out[key] = value;
    }
    if (node['type'] === 'object') {
      const properties = isObject(node['properties']) ? node['properties'] : {};
      const required = new Set(Array.isArray(node['required']) ? node['required'] : []);
      out['properties'] = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => {
          const schema = isObject(property) ? property : {};
          return [name, visit(schema, schema['nullable'] === true || !required.has(name))];
        }),
      );
      out['required'] = Object.keys(properties);
      out['additionalProperties'] = false;
    }
    if (!nullable) return out;
    if (Array.isArray(out['anyOf'])) return { ...out, anyOf: [...out['anyOf'], { type: 'null' }] };
    const withNull: Schema = typeof out['type'] === 'string' ? { ...out, type: [out['type'], 'null'] } : out;
    return Array.isArray(withNull['enum']) ? { ...withNull, enum: [...withNull['enum'], null] } : withNull;
  };
  return visit(portable, false);
}

/** `args` with every `null` removed where the portable schema had an optional property (it was absent before strict mode). */
export function withoutOptionalNulls(args: unknown, portable: Schema): unknown {
  if (Array.isArray(args)) return isObject(portable['items']) ? args.map((item) => withoutOptionalNulls(item, portable['items'] as Schema)) : args;
  if (!isObject(args) || !isObject(portable['properties'])) return args;
  const properties = portable['properties'];
  const required = new Set(Array.isArray(portable['required']) ? portable['required'] : []);
  const out: Schema = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === null && name in properties && !required.has(name)) continue;
    out[name] = isObject(properties[name]) ? withoutOptionalNulls(value, properties[name] as Schema) : value;
  }
  return out;
}

/** A tool call's JSON arguments cleaned by its tool's portable schema; unparseable text is left for the caller to report. */
function cleanArguments(text: string, schema: Schema | undefined): string {
  if (!schema) return text;
  try {
    return JSON.stringify(withoutOptionalNulls(JSON.parse(text), schema));
  } catch {
    return text;
  }
}

interface ToolCallDelta {
  index?: number;
  function?: { name?: string; arguments?: string };
}

/** A whole (not streamed) chat completion body with each tool call's arguments cleaned (see `withoutOptionalNulls`). */
export function wholeStrictToolCalls(body: ReadableStream<Uint8Array>, schemas: ReadonlyMap<string, Schema>): ReadableStream<Uint8Array> {
  return rewriteWholeBody(body, (bytes) => {
    const text = bytes.toString('utf8');
    try {
      const completion = JSON.parse(text) as { choices?: Array<{ message?: { tool_calls?: ToolCallDelta[] } }> };
      for (const call of (completion.choices ?? []).flatMap((choice) => choice.message?.tool_calls ?? [])) {
        if (call.function?.arguments !== undefined) call.function.arguments = cleanArguments(call.function.arguments, schemas.get(call.function.name ?? ''));
      }
      return JSON.stringify(completion);
    } catch {
      return bytes;
    }
  });
}

/**
 * The SSE body with tool-call arguments held back and sent, cleaned, in one delta per call just
 * before the chunk that finishes the choice (arguments are concatenated by index by every client,
 * so the split does not matter; only whole arguments can be parsed).
 */
export function streamStrictToolCalls(body: ReadableStream<Uint8Array>, schemas: ReadonlyMap<string, Schema>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let tail = '';
  /** Per choice, per tool-call index: the tool's name and its arguments so far. */
  const pending = new Map<number, Map<number, { name?: string; arguments: string }>>();
  let template: Schema | undefined;

  const release = (choiceIndex: number): string[] => {
    const calls = pending.get(choiceIndex);
    pending.delete(choiceIndex);
    if (!calls || calls.size === 0 || !template) return [];
    const tool_calls = [...calls].map(([index, call]) => ({ index, function: { arguments: cleanArguments(call.arguments, schemas.get(call.name ?? '')) } }));
    return [`data: ${JSON.stringify({ ...template, choices: [{ index: choiceIndex, delta: { tool_calls }, finish_reason: null }] })}`, ''];
  };

  const rewrite = (line: string): string[] => {
    if (!line.startsWith('data:')) return [line];
    let event: Schema & { choices?: Array<{ index?: number; delta?: { tool_calls?: ToolCallDelta[] }; finish_reason?: unknown }> };
    try {
      event = JSON.parse(line.slice(5));
    } catch {
      return [line];
    }
    const { choices, usage: _usage, ...rest } = event;
    template ??= rest;
    const before: string[] = [];
    for (const choice of choices ?? []) {
      const choiceIndex = choice.index ?? 0;
      for (const call of choice.delta?.tool_calls ?? []) {
        const calls = pending.get(choiceIndex) ?? new Map<number, { name?: string; arguments: string }>();
        pending.set(choiceIndex, calls);
        const held = calls.get(call.index ?? 0) ?? { arguments: '' };
        calls.set(call.index ?? 0, held);
        if (call.function?.name) held.name = call.function.name;
        if (call.function?.arguments) {
          held.arguments += call.function.arguments;
          call.function.arguments = '';
        }
      }
      if (choice.finish_reason) before.push(...release(choiceIndex));
    }
    return [...before, `data: ${JSON.stringify(event)}`];
  };

  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const text = tail + decoder.decode(chunk, { stream: true });
        const end = text.lastIndexOf('\n') + 1;
        tail = text.slice(end);
        if (end > 0) controller.enqueue(encoder.encode(text.slice(0, end - 1).split('\n').flatMap(rewrite).join('\n') + '\n'));
      },
      flush(controller) {
        const rest = tail + decoder.decode();
        const unreleased = [...pending.keys()].flatMap(release);
        if (rest || unreleased.length) controller.enqueue(encoder.encode([...unreleased, ...(rest ? rest.split('\n').flatMap(rewrite) : [])].join('\n')));
      },
    }),
  );
}
