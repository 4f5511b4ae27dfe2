/**
 * What OpenAI-compatible servers other than OpenAI accept: Gemini's OpenAI endpoint takes an
 * OpenAPI subset of JSON Schema (no `$schema`, `additionalProperties`, `$ref`, `default`, type
 * arrays), the Mistral and Gemma chat templates of vLLM / llama.cpp want one system message, first,
 * as a string; OpenAI's reasoning models (o1, o3, o4…, gpt-5 but gpt-5-chat) and DeepSeek's
 * reasoner refuse sampling parameters, and OpenAI's want `max_completion_tokens`.
 */
import { strictToolSchema } from './strict-tools';

/** Keywords every major server accepts in tool parameters; anything else is dropped. */
const KEPT_KEYWORDS = new Set(['type', 'description', 'enum', 'properties', 'required', 'items', 'anyOf', 'minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'nullable']);
/** `format` values Gemini documents for strings (others are rejected there, ignored elsewhere). */
const KEPT_STRING_FORMATS = new Set(['date-time', 'enum']);

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The last path segment of a model id, lower-cased: `openai/o3-mini` → `o3-mini` (OpenRouter-style prefixes). */
function modelBaseName(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1).toLowerCase();
}

/** OpenAI's reasoning families: no `temperature`/`top_p`, and `max_completion_tokens` instead of `max_tokens`. */
export function isOpenAiReasoningModel(model: string): boolean {
  const name = modelBaseName(model);
  return /^o[134](-|$)/.test(name) || (/^gpt-5(\.\d+)?(-|$)/.test(name) && !/^gpt-5(\.\d+)?-chat/.test(name));
}

/** Models that reject (or silently ignore) sampling parameters: OpenAI's reasoning families and DeepSeek's reasoner. */
export function rejectsSamplingParameters(model: string): boolean {
  const name = modelBaseName(model);
  return isOpenAiReasoningModel(model) || /^deepseek-(reasoner|r1)/.test(name);
}

/**
 * Output cap per model family when `LLM_MAX_OUTPUT_TOKENS` is unset, first match wins. Reasoning
 * models spend their hidden reasoning tokens out of the same cap: at 4 096 a hard question can end
 * with `finish_reason: "length"` and no answer at all, so they get the room OpenAI advises reserving
 * (≥ 25 000). Only hosted reasoning APIs are listed: a local server (vLLM) rejects a cap larger than
 * the context left, and local models' windows are small. A cap is a ceiling, not a target: the
 * bill follows what the model writes.
 */
const OUTPUT_TOKENS_BY_FAMILY: ReadonlyArray<{ family: string; matches: (model: string) => boolean; maxOutputTokens: number }> = [
  { family: 'OpenAI reasoning (o1, o3, o4, gpt-5)', matches: isOpenAiReasoningModel, maxOutputTokens: 32_768 },
  { family: 'DeepSeek reasoner (hosted API)', matches: (model) => modelBaseName(model).startsWith('deepseek-reasoner'), maxOutputTokens: 32_768 },
];
/** Every other model: room for a long answer, small enough for any server's context. */
export const DEFAULT_OUTPUT_TOKENS = 4_096;

/** The output cap of `model` when the user set none (see `OUTPUT_TOKENS_BY_FAMILY`). */
export function defaultOutputTokens(model: string): number {
  return OUTPUT_TOKENS_BY_FAMILY.find((entry) => entry.matches(model))?.maxOutputTokens ?? DEFAULT_OUTPUT_TOKENS;
}

/**
 * A tool's parameter schema in the subset every major server accepts: `$ref`s inlined (a recursive
 * one becomes a described object), `const` → one-value `enum`, `oneOf` → `anyOf`, a nullable type
 * (`["string","null"]` or `anyOf` with `null`) → the type itself with `nullable`, and every other
 * keyword (`$schema`, `additionalProperties`, `default`, `title`, `pattern`…) dropped; a property
 * that had a default is no longer required.
 */
export function sanitiseToolSchema(schema: unknown): Schema {
  if (!isObject(schema)) return { type: 'object', properties: {} };
  const root = schema;
  const resolve = (ref: string): unknown => {
    if (ref === '#') return root;
    if (!ref.startsWith('#/')) return undefined;
    return ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root);
  };

  const visit = (node: unknown, refs: readonly string[]): Schema => {
    if (!isObject(node)) return {};
    if (typeof node['$ref'] === 'string') {
      const ref = node['$ref'];
      const target = resolve(ref);
      // A schema that refers to itself cannot be inlined: the recursion ends in a plain object.
      if (refs.includes(ref) || !isObject(target)) return { type: 'object', ...(typeof node['description'] === 'string' ? { description: node['description'] } : {}) };
      const { $ref: _ref, ...siblings } = node;
      return visit({ ...target, ...siblings }, [...refs, ref]);
    }
    let source: Schema = { ...node };
    if ('const' in source && !('enum' in source)) source = { ...source, enum: [source['const']] };
    if (Array.isArray(source['oneOf']) && !('anyOf' in source)) source = { ...source, anyOf: source['oneOf'] };
    if (Array.isArray(source['allOf']) && source['allOf'].length === 1 && isObject(source['allOf'][0])) {
      const { allOf, ...rest } = source;
      source = { ...(allOf as Schema[])[0], ...rest };
    }

    const out: Schema = {};
    for (const [key, value] of Object.entries(source)) {
      if (!KEPT_KEYWORDS.has(key)) continue;
      if (key === 'properties' && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, visit(property, refs)]));
      } else if (key === 'items') {
        out[key] = Array.isArray(value) ? visit(value[0], refs) : visit(value, refs);
      } else if (key === 'anyOf' && Array.isArray(value)) {
        const variants = value.filter((variant) => !(isObject(variant) && variant['type'] === 'null'));
        if (variants.length < value.length) out['nullable'] = true;
        if (variants.length === 1) Object.assign(out, visit(variants[0], refs), out['description'] ? { description: out['description'] } : {});
        else if (variants.length > 1) out[key] = variants.map((variant) => visit(variant, refs));
      } else if (key === 'type' && Array.isArray(value)) {
        const types = value.filter((type) => type !== 'null');
        if (types.length < value.length) out['nullable'] = true;
        if (types.length === 1) out[key] = types[0];
        else if (types.length > 1) out['anyOf'] = types.map((type) => ({ type }));
      } else {
        out[key] = value;
      }
    }
    if (out['type'] === 'string' && typeof source['format'] === 'string' && KEPT_STRING_FORMATS.has(source['format'])) out['format'] = source['format'];
    if (Array.isArray(out['required']) && isObject(out['properties'])) {
      const properties = out['properties'];
      const declared = isObject(source['properties']) ? source['properties'] : {};
      // A property with a default (zod lists it as required) is optional once the default is gone.
      out['required'] = out['required'].filter((name) => typeof name === 'string' && name in properties && !(isObject(declared[name]) && 'default' in declared[name]));
    }
    return out;
  };
  return visit(root, []);
}

/** The text of a message's content: a string as is, content parts' texts joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (typeof part === 'string' ? part : isObject(part) && typeof part['text'] === 'string' ? part['text'] : ''))
    .filter(Boolean)
    .join('\n');
}

const isInstructionRole = (role: unknown) => role === 'system' || role === 'developer';

export interface ChatRequestBody {
  model?: unknown;
  messages?: unknown[];
  stream?: unknown;
  [key: string]: unknown;
}

/**
 * A chat-completion body every OpenAI-compatible server accepts, whoever built it: one system
 * message, first, with string content (every system or developer message of the history merged
 * into it, in order — a client's own system turns included); tool parameter schemas sanitised and
 * `strict` dropped (strict mode needs the keywords the sanitiser removes), or, with `strictTools`,
 * made strict (see `strict-tools.ts`) and marked `strict: true`; sampling parameters
 * omitted for reasoning models; an output cap (`maxOutputTokens`, else the model family's default,
 * or the caller's smaller one) as `max_completion_tokens` for OpenAI reasoning models and
 * `max_tokens` otherwise.
 */
export function normaliseChatRequest<T extends ChatRequestBody>(body: T, maxOutputTokens?: number, options: { strictTools?: boolean } = {}): T {
  const model = typeof body.model === 'string' ? body.model : '';
  const out: ChatRequestBody = { ...body };

  if (Array.isArray(body.messages)) {
    const instructions = body.messages.filter((message) => isObject(message) && isInstructionRole(message['role'])) as Schema[];
    const rest = body.messages.filter((message) => !(isObject(message) && isInstructionRole(message['role'])));
    const text = instructions.map((message) => contentText(message['content'])).filter((part) => part.trim() !== '').join('\n\n');
    // The first instruction's role is kept: LangChain sends `developer` to OpenAI's reasoning models.
    out.messages = instructions.length > 0 ? [{ role: instructions[0]['role'], content: text }, ...rest] : rest;
  }

  if (Array.isArray(body['tools'])) {
    out['tools'] = body['tools'].map((tool) => {
      if (!isObject(tool) || !isObject(tool['function'])) return tool;
      const { strict: _strict, ...fn } = tool['function'];
      if (options.strictTools) return { ...tool, function: { ...fn, parameters: strictToolSchema(sanitiseToolSchema(fn['parameters'])), strict: true } };
      return { ...tool, function: 'parameters' in fn ? { ...fn, parameters: sanitiseToolSchema(fn['parameters']) } : fn };
    });
  }

  if (rejectsSamplingParameters(model)) {
    for (const key of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs']) delete out[key];
  }
  const requested = [body['max_tokens'], body['max_completion_tokens']].filter((value): value is number => typeof value === 'number' && value > 0);
  const cap = Math.min(maxOutputTokens ?? defaultOutputTokens(model), ...requested);
  delete out['max_tokens'];
  delete out['max_completion_tokens'];
  out[isOpenAiReasoningModel(model) ? 'max_completion_tokens' : 'max_tokens'] = cap;
  return out as T;
}
