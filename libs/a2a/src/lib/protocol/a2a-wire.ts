import type { Part } from '@a2a-js/sdk';

/**
 * Aether's A2A wire shape, kept in one place so that the executor (server side) and the event
 * decoder / request encoder (client side) cannot drift apart.
 *
 * Request (client → agent), one `Message` with role USER:
 * - `contextId` = the conversation id;
 * - a text part: `AgentRequest.message`;
 * - a data part: `AgentRequestPayload` (`{ history, data? }`);
 * - `metadata`: `aether.userId`, `aether.model` and `aether.budgetMs`: the
 *   milliseconds left before the request's deadline when the message was sent (relative, so the
 *   hosts' clocks need not agree). The `messageId` is stable across a retry of the same call: the
 *   serving side runs one message id at most once.
 *
 * Response (agent → client), one task:
 * - the `Task` first (state WORKING);
 * - `token` events as chunks of the text artifact `answer` (a token relayed from a nested agent
 *   carries that agent's name in the part metadata `aether.agent`);
 * - an `image` event (a chart) as a file part on the artifact `events`: its bytes, media type and a
 *   file name, with the producing agent and the title in the part metadata (`aether.agent`,
 *   `aether.title`);
 * - every other `AgentEvent` as one data part, exactly the event object, on the artifact `events`;
 * - the end: status COMPLETED, or FAILED/CANCELED whose status message has a text part (the error
 *   message) and a data part `{ type: 'error', code, content, agent }`.
 */
export const ANSWER_ARTIFACT_ID = 'answer';
export const EVENTS_ARTIFACT_ID = 'events';

export const A2A_METADATA = {
  userId: 'aether.userId',
  model: 'aether.model',
  /** Milliseconds left of the request's overall deadline when the message was sent. */
  budgetMs: 'aether.budgetMs',
  /** On a text part: the agent that produced this token when it is not the task's own agent; on a file part, always. */
  agent: 'aether.agent',
  /** On a file part: what the picture shows. */
  title: 'aether.title',
} as const;

/** In the message of the error refusing a message id the service already ran (a retried call). */
export const DUPLICATE_MESSAGE_REASON = 'aether.duplicate-message';
/** In the message of the error refusing a message whose deadline budget is spent. */
export const DEADLINE_EXCEEDED_REASON = 'aether.deadline-exceeded';
/**
 * In the message of the JSON-RPC internal error of a call the service could not serve because its
 * own database (its task store) did not answer: the caller reports `storage_unavailable`.
 */
export const STORAGE_UNAVAILABLE_REASON = 'aether.storage-unavailable';

export const TEXT_MEDIA_TYPE = 'text/plain';
export const JSON_MEDIA_TYPE = 'application/json';

/** JSON-RPC binding versions every Aether agent service offers. */
export const A2A_V1 = '1.0';
export const A2A_V03 = '0.3';
export const A2A_VERSION_HEADER = 'A2A-Version';

export function textPart(value: string, metadata?: Record<string, unknown>): Part {
  return { content: { $case: 'text', value }, mediaType: TEXT_MEDIA_TYPE, filename: '', metadata };
}

export function dataPart(value: unknown): Part {
  return { content: { $case: 'data', value }, mediaType: JSON_MEDIA_TYPE, filename: '', metadata: undefined };
}

/** A file part carrying `bytes` (JSON: base64). */
export function filePart(bytes: Buffer, mediaType: string, filename: string, metadata?: Record<string, unknown>): Part {
  return { content: { $case: 'raw', value: bytes }, mediaType, filename, metadata };
}
