import { idProblem, toStorableText } from '@aether/core';
import { z } from 'zod';
import {
  JSON_RPC_INVALID_PARAMS,
  JSON_RPC_INVALID_REQUEST,
  JSON_RPC_METHOD_NOT_FOUND,
  jsonRpcError,
  type JsonRpcErrorResponse,
} from './json-rpc-errors';

/** Deepest nesting accepted in a request body: far beyond any real A2A message, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;
/** Most history entries a caller may ask for (`historyLength`). */
export const MAX_HISTORY_LENGTH = 1000;

/** The v1.0 JSON-RPC methods (A2A v1.0 §9). */
export const A2A_V1_METHODS = [
  'SendMessage',
  'SendStreamingMessage',
  'GetTask',
  'ListTasks',
  'CancelTask',
  'SubscribeToTask',
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
  'GetExtendedAgentCard',
] as const;

export const STREAMING_METHODS: ReadonlySet<string> = new Set(['SendStreamingMessage', 'SubscribeToTask', 'message/stream', 'tasks/resubscribe']);

export type ValidatedRequest =
  | { kind: 'request'; body: Record<string, unknown>; id: string | number | null; method: string }
  | { kind: 'notification'; method: string }
  | { kind: 'error'; response: JsonRpcErrorResponse };

// Text follows libs/core's text rule: repaired (NUL removed, lone surrogates replaced) after validation.
const text = z.string();
const metadata = z.record(z.string(), z.unknown());
// Ids follow libs/core's id rule: refused, never repaired (an id that changed names another task).
const nonEmptyId = z.string().superRefine((value, ctx) => {
  const problem = idProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const count = (max: number) => z.int({ error: 'must be an integer' }).min(0).max(max);

// A v1.0 Part carries exactly one of text, raw, url, data (proto `oneof content`).
const PART_KINDS = ['text', 'raw', 'url', 'data'] as const;
const part = z
  .looseObject({
    text: text.optional(),
    raw: z.string().optional(),
    url: z.string().optional(),
    data: z.unknown().optional(),
    metadata: metadata.optional(),
    filename: z.string().optional(),
    mediaType: z.string().optional(),
  })
  .refine((p) => PART_KINDS.filter((kind) => p[kind] !== undefined).length === 1, {
    error: `a part must carry exactly one of ${PART_KINDS.join(', ')}`,
  });

const message = z.looseObject({
  messageId: nonEmptyId,
  role: z.enum(['ROLE_USER', 'ROLE_AGENT'], { error: "must be 'ROLE_USER' or 'ROLE_AGENT'" }),
  parts: z
    .array(part)
    .min(1, { error: 'must hold at least one part' })
    // The agents act on text and structured data; a message with neither has nothing to act on.
    .refine((parts) => parts.some((p) => (typeof p.text === 'string' && p.text.trim() !== '') || p.data !== undefined), {
      error: 'must hold a non-empty text part or a data part',
    }),
  contextId: nonEmptyId.optional(),
  taskId: nonEmptyId.optional(),
  metadata: metadata.optional(),
  extensions: z.array(z.string()).optional(),
  referenceTaskIds: z.array(z.string()).optional(),
});

const tenant = z.string().optional();

const sendMessageParams = z.looseObject({
  message,
  configuration: z
    .looseObject({
      acceptedOutputModes: z.array(z.string()).optional(),
      historyLength: count(MAX_HISTORY_LENGTH).optional(),
      blocking: z.boolean().optional(),
      returnImmediately: z.boolean().optional(),
    })
    .optional(),
  metadata: metadata.optional(),
  tenant,
});

const TASK_STATES = [
  'TASK_STATE_UNSPECIFIED',
  'TASK_STATE_SUBMITTED',
  'TASK_STATE_WORKING',
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_INPUT_REQUIRED',
  'TASK_STATE_REJECTED',
  'TASK_STATE_AUTH_REQUIRED',
] as const;

/** Params this edge checks itself; the push-notification methods and the extended card are left to the SDK. */
const PARAMS: Partial<Record<(typeof A2A_V1_METHODS)[number], z.ZodType>> = {
  SendMessage: sendMessageParams,
  SendStreamingMessage: sendMessageParams,
  GetTask: z.looseObject({ id: nonEmptyId, historyLength: count(MAX_HISTORY_LENGTH).optional(), tenant }),
  ListTasks: z.looseObject({
    contextId: nonEmptyId.optional(),
    status: z.enum(TASK_STATES).optional(),
    pageSize: z.int({ error: 'must be an integer' }).min(1).max(100).optional(),
    pageToken: z.string().optional(),
    historyLength: count(MAX_HISTORY_LENGTH).optional(),
    statusTimestampAfter: z.iso.datetime({ offset: true }).optional(),
    includeArtifacts: z.boolean().optional(),
    tenant,
  }),
  CancelTask: z.looseObject({ id: nonEmptyId, metadata: metadata.optional(), tenant }),
  SubscribeToTask: z.looseObject({ id: nonEmptyId, tenant }),
};

/** Nesting depth of a parsed JSON value, iteratively: a hostile body must not overflow the stack here either. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Checks a parsed JSON-RPC body per JSON-RPC 2.0 and A2A v1.0 before the SDK sees it. The SDK
 * checks the envelope loosely (it echoes an invalid id, runs notifications, and its `fromJSON`
 * coerces wrong types in params into defaults, so `text: 123` became an empty message and a task):
 * here every v1.0 param that starts work is validated, ids follow libs/core's id rule and text its
 * text rule (NUL removed, lone surrogates replaced), as at the gateway. v0.3 (legacy) params are
 * left to the SDK.
 */
export function validateJsonRpcRequest(body: unknown, legacy: boolean): ValidatedRequest {
  const invalid = (message: string, id: string | number | null = null): ValidatedRequest => ({
    kind: 'error',
    response: jsonRpcError(id, JSON_RPC_INVALID_REQUEST, message),
  });
  if (Array.isArray(body)) return invalid('Batch requests are not supported: send one JSON-RPC request per call');
  if (typeof body !== 'object' || body === null) return invalid('The body must be a JSON-RPC request object');
  const request = body as Record<string, unknown>;
  const hasId = Object.hasOwn(request, 'id');
  const rawId = request['id'];
  const idIsValid = !hasId || rawId === null || typeof rawId === 'string' || (typeof rawId === 'number' && Number.isInteger(rawId));
  if (!idIsValid) return invalid("'id' must be a string, an integer or null");
  const id = (hasId ? rawId : null) as string | number | null;
  if (request['jsonrpc'] !== '2.0') return invalid("'jsonrpc' must be exactly \"2.0\"", id);
  const method = request['method'];
  if (typeof method !== 'string' || method === '') return invalid("'method' must be a non-empty string", id);
  if (jsonDepth(request, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH) {
    return { kind: 'error', response: jsonRpcError(id, JSON_RPC_INVALID_PARAMS, `Invalid params: nested deeper than ${MAX_JSON_DEPTH} levels`) };
  }
  if (!hasId) return { kind: 'notification', method };
  if (legacy) return { kind: 'request', body: request, id, method };

  if (!(A2A_V1_METHODS as readonly string[]).includes(method)) {
    return { kind: 'error', response: jsonRpcError(id, JSON_RPC_METHOD_NOT_FOUND, `Method not found: '${method}'`) };
  }
  const schema = PARAMS[method as (typeof A2A_V1_METHODS)[number]];
  if (!schema) return { kind: 'request', body: request, id, method };
  const params = request['params'];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return { kind: 'error', response: jsonRpcError(id, JSON_RPC_INVALID_PARAMS, "Invalid params: 'params' must be an object") };
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['params', ...issue.path.map(String)].join('.');
    return { kind: 'error', response: jsonRpcError(id, JSON_RPC_INVALID_PARAMS, `Invalid params: '${where}' ${issue.message.replace(/^Invalid input: /, '')}`) };
  }
  return { kind: 'request', body: { ...request, params: withStorableText(parsed.data) }, id, method };
}

/** The message's text parts made storable (libs/core's text rule). */
function withStorableText(params: unknown): unknown {
  const message = (params as { message?: { parts?: unknown } }).message;
  if (!message || !Array.isArray(message.parts)) return params;
  return {
    ...(params as object),
    message: {
      ...message,
      parts: (message.parts as { text?: unknown }[]).map((p) => (typeof p?.text === 'string' ? { ...p, text: toStorableText(p.text) } : p)),
    },
  };
}
