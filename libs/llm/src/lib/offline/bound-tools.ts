import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool, isStructuredTool } from '@langchain/core/utils/function_calling';
import { toJsonSchema } from '@langchain/core/utils/json_schema';

/** The parts of a JSON Schema the offline rules read. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
}

/** A bound tool as the offline model sees it: name, description and JSON Schema parameters. */
export interface OfflineToolSpec {
  name: string;
  description: string;
  parameters: JsonSchemaNode;
  /** The LangChain tool object, when one was bound (policies receive these). */
  tool?: StructuredToolInterface;
}

/**
 * Normalises whatever was passed to `bindTools` (LangChain tools, `{ name, schema }` params, OpenAI
 * `{ type: 'function', function }` definitions) into specs. Provider built-ins without a function
 * definition (e.g. `{ type: 'web_search' }`) cannot be called by rules and are left out.
 */
export function toToolSpecs(tools: readonly BindToolsInput[] | undefined): OfflineToolSpec[] {
  const specs: OfflineToolSpec[] = [];
  for (const input of tools ?? []) {
    const definition = convertToOpenAITool(input as Parameters<typeof convertToOpenAITool>[0]) as {
      type?: string;
      function?: { name?: unknown; description?: unknown; parameters?: unknown };
    };
    const fn = definition.function;
    if (definition.type !== 'function' || !fn || typeof fn.name !== 'string') continue;
    specs.push({
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : '',
      parameters: normaliseParameters(fn.parameters),
      tool: isStructuredTool(input) ? input : undefined,
    });
  }
  return specs;
}

function normaliseParameters(parameters: unknown): JsonSchemaNode {
  if (!parameters || typeof parameters !== 'object') return { type: 'object', properties: {} };
  // convertToOpenAITool already emits JSON Schema for zod schemas; this also covers OpenAI-style
  // definitions that were handed over with a zod `parameters` object.
  const schema = isJsonSchema(parameters) ? parameters : (toJsonSchema(parameters as never) as JsonSchemaNode);
  return schema;
}

function isJsonSchema(value: object): value is JsonSchemaNode {
  return 'type' in value || 'properties' in value || 'anyOf' in value || 'oneOf' in value;
}

/**
 * The effective schema of a property: unwraps `anyOf`/`oneOf` unions (as produced for optional and
 * nullable fields) to their first non-null member, keeping the outer description and default.
 */
export function effectiveSchema(node: JsonSchemaNode): JsonSchemaNode {
  const union = node.anyOf ?? node.oneOf;
  if (!union) return node;
  const member = union.find((m) => primaryType(m) !== 'null') ?? union[0] ?? {};
  const resolved = effectiveSchema(member);
  return {
    ...resolved,
    description: node.description ?? resolved.description,
    default: node.default ?? resolved.default,
  };
}

/** The schema's type, ignoring `null` in type lists; enums without a type count as strings. */
export function primaryType(node: JsonSchemaNode): string | undefined {
  if (Array.isArray(node.type)) return node.type.find((t) => t !== 'null') ?? node.type[0];
  if (node.type) return node.type;
  if (node.enum) return typeof node.enum[0] === 'number' ? 'number' : 'string';
  return undefined;
}
