import { randomUUID } from 'node:crypto';
import {
  Role,
  TaskState,
  type Message,
  type Part,
  type StreamResponse,
  type TaskArtifactUpdateEvent,
  type TaskStatus,
  type TaskStatusUpdateEvent,
} from '@a2a-js/sdk';
import {
  AgentError,
  haSlugify,
  isAgentEvent,
  isImageMediaType,
  isAgentName,
  type AgentErrorCode,
  type AgentEvent,
  type AgentName,
  type ErrorEvent,
  type ImageEvent,
  type ProposalEvent,
  type TokenEvent,
} from '@aether/core';
import { A2A_METADATA, ANSWER_ARTIFACT_ID, EVENTS_ARTIFACT_ID, dataPart, filePart, textPart } from './a2a-wire';

/** Every code, as a record so that a code added to `AgentErrorCode` cannot be forgotten here. */
const AGENT_ERROR_CODES: Readonly<Record<AgentErrorCode, true>> = {
  agent_unavailable: true,
  timeout: true,
  connection_reset: true,
  not_implemented: true,
  invalid_input: true,
  cancelled: true,
  upstream_error: true,
  storage_unavailable: true,
  internal_error: true,
};

export function isAgentErrorCode(value: unknown): value is AgentErrorCode {
  return typeof value === 'string' && Object.hasOwn(AGENT_ERROR_CODES, value);
}

/**
 * Encodes one `AgentEvent` of task `taskId` (run by `self`) as an artifact update: tokens become
 * chunks of the `answer` text artifact, everything else a data part on the `events` artifact.
 * `first` is true for the first chunk of that artifact (append=false), later chunks append.
 */
export function encodeAgentEvent(
  event: AgentEvent,
  self: AgentName,
  taskId: string,
  contextId: string,
  first: boolean,
): TaskArtifactUpdateEvent {
  return event.type === 'token' ? encodeTokenBatch([event], self, taskId, contextId, first) : encodeEventBatch([event], taskId, contextId, first);
}

/**
 * Encodes several non-token events of task `taskId` (those produced in one tick, in order) as one
 * chunk of the `events` artifact, a part each, as `encodeAgentEvent` encodes them one at a time.
 */
export function encodeEventBatch(
  events: readonly AgentEvent[],
  taskId: string,
  contextId: string,
  first: boolean,
): TaskArtifactUpdateEvent {
  const parts = events.map((event) => (event.type === 'image' ? imagePart(event) : dataPart(event)));
  return {
    taskId,
    contextId,
    artifact: { artifactId: EVENTS_ARTIFACT_ID, name: EVENTS_ARTIFACT_ID, description: '', parts, metadata: undefined, extensions: [] },
    append: !first,
    lastChunk: false,
    metadata: undefined,
  };
}

/** An `image` event as the file part any A2A client can save or show. */
function imagePart(event: ImageEvent): Part {
  const extension = event.mediaType === 'image/png' ? 'png' : 'svg';
  return filePart(Buffer.from(event.data, 'base64'), event.mediaType, `${haSlugify(event.title) || 'image'}.${extension}`, {
    [A2A_METADATA.agent]: event.agent,
    [A2A_METADATA.title]: event.title,
  });
}

/**
 * Encodes several `token` events of task `taskId` (those produced in one tick) as one chunk of the
 * `answer` artifact: one text part per token, in order, so a decoder gives back the very same
 * tokens (with their origins) while the hop carries, stores and forwards one event instead of many.
 */
export function encodeTokenBatch(
  tokens: readonly TokenEvent[],
  self: AgentName,
  taskId: string,
  contextId: string,
  first: boolean,
): TaskArtifactUpdateEvent {
  const parts = tokens.map((token) => textPart(token.content, token.agent === self ? undefined : { [A2A_METADATA.agent]: token.agent }));
  return {
    taskId,
    contextId,
    artifact: { artifactId: ANSWER_ARTIFACT_ID, name: ANSWER_ARTIFACT_ID, description: '', parts, metadata: undefined, extensions: [] },
    append: !first,
    lastChunk: false,
    metadata: undefined,
  };
}

/** The terminal status update for a finished run: COMPLETED, or FAILED/CANCELED carrying the error. */
export function encodeTerminalStatus(
  taskId: string,
  contextId: string,
  outcome: { state: TaskState.TASK_STATE_COMPLETED } | { state: TaskState.TASK_STATE_FAILED | TaskState.TASK_STATE_CANCELED; error: ErrorEvent },
): TaskStatusUpdateEvent {
  const status: TaskStatus = { state: outcome.state, message: undefined, timestamp: new Date().toISOString() };
  if ('error' in outcome) {
    status.message = agentMessage(taskId, contextId, [textPart(outcome.error.content), dataPart(outcome.error)]);
  }
  return { taskId, contextId, status, metadata: undefined };
}

/**
 * The status of a task that waits for a person's decision on a proposal: how to decide, and the
 * proposal (its `approval_required` event) as data. A message on the task continues it.
 */
export function encodeInputRequired(taskId: string, contextId: string, proposal: ProposalEvent): TaskStatusUpdateEvent {
  const text = `Proposal "${proposal.title}" (${proposal.proposalId}) waits for approval: send "approve" or "reject" on this task, or cancel it to reject it.`;
  const status: TaskStatus = {
    state: TaskState.TASK_STATE_INPUT_REQUIRED,
    message: agentMessage(taskId, contextId, [textPart(text), dataPart(proposal)]),
    timestamp: new Date().toISOString(),
  };
  return { taskId, contextId, status, metadata: undefined };
}

/** The `{ type: 'error', … }` event for a failure: an `AgentError` keeps its code and origin. */
export function errorEventFrom(error: unknown, self: AgentName): ErrorEvent {
  if (error instanceof AgentError) {
    return { type: 'error', agent: error.agent ?? self, code: error.code, content: error.message };
  }
  // Duck-typed: an error thrown inside Node's own APIs (e.g. fetch) may come from another realm.
  const message = (error as { message?: unknown } | null | undefined)?.message;
  const content = typeof message === 'string' && message !== '' ? message : String(error);
  return { type: 'error', agent: self, code: 'internal_error', content };
}

function agentMessage(taskId: string, contextId: string, parts: Part[]): Message {
  return {
    messageId: randomUUID(),
    contextId,
    taskId,
    role: Role.ROLE_AGENT,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

const NO_EVENTS: readonly AgentEvent[] = Object.freeze([]);

/**
 * Turns the stream of one agent call (Task | Message | status update | artifact update, as yielded
 * by the SDK client and by `DefaultRequestHandler.sendMessageStream`) back into `AgentEvent`s.
 * Text parts become `token` events of the callee (or of the agent named in the part metadata);
 * data parts that are AgentEvents come back unchanged; a failed, rejected or cancelled task throws
 * the `AgentError` it carries. One decoder per call: it remembers the task id and whether the task
 * reached a successful end.
 */
export class AgentEventDecoder {
  taskId: string | undefined;
  /** True once the task completed (or the agent answered with a single message). */
  completed = false;
  /** True once the task reached any end state, successful or not. */
  settled = false;

  constructor(readonly callee: AgentName) {}

  decode(response: StreamResponse): readonly AgentEvent[] {
    const payload = response.payload;
    switch (payload?.$case) {
      case 'artifactUpdate':
        this.taskId ??= payload.value.taskId;
        return payload.value.artifact ? this.partsToEvents(payload.value.artifact.parts) : NO_EVENTS;
      case 'statusUpdate':
        this.taskId ??= payload.value.taskId;
        this.applyStatus(payload.value.status);
        return this.completed ? [this.end()] : NO_EVENTS;
      case 'task':
        this.taskId ??= payload.value.id;
        this.applyStatus(payload.value.status);
        return this.completed ? [this.start(), this.end()] : [this.start()];
      case 'message':
        this.completed = this.settled = true;
        return [this.start(), ...this.partsToEvents(payload.value.parts), this.end()];
      default:
        return NO_EVENTS;
    }
  }

  /*
   * agent_start/agent_end are derived here, on the caller's side of every hop, from the task's
   * lifecycle rather than sent as artifacts: the trail of agents is then identical for in-process
   * and remote agents, and the task's artifacts stay just the answer and the agent's own events.
   */
  private start(): AgentEvent {
    return { type: 'agent_start', agent: this.callee };
  }

  private end(): AgentEvent {
    return { type: 'agent_end', agent: this.callee };
  }

  private partsToEvents(parts: Part[]): readonly AgentEvent[] {
    if (parts.length === 1) {
      const event = this.partToEvent(parts[0]);
      return event ? [event] : NO_EVENTS;
    }
    const events: AgentEvent[] = [];
    for (const part of parts) {
      const event = this.partToEvent(part);
      if (event) events.push(event);
    }
    return events;
  }

  private partToEvent(part: Part): AgentEvent | undefined {
    const content = part.content;
    if (content?.$case === 'text') {
      const origin = part.metadata?.[A2A_METADATA.agent];
      return { type: 'token', agent: isAgentName(origin) ? origin : this.callee, content: content.value };
    }
    if (content?.$case === 'raw' && isImageMediaType(part.mediaType)) {
      const origin = part.metadata?.[A2A_METADATA.agent];
      const title = part.metadata?.[A2A_METADATA.title];
      return {
        type: 'image',
        agent: isAgentName(origin) ? origin : this.callee,
        title: typeof title === 'string' && title ? title : part.filename,
        mediaType: part.mediaType,
        data: Buffer.from(content.value).toString('base64'),
      };
    }
    if (content?.$case === 'data') {
      const value: unknown = content.value;
      if (isAgentEvent(value)) return value;
      // Structured output from a foreign A2A agent: surface it as that agent's result.
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return { type: 'result', agent: this.callee, data: value as Record<string, unknown> };
      }
    }
    return undefined;
  }

  private applyStatus(status: TaskStatus | undefined): void {
    switch (status?.state) {
      case TaskState.TASK_STATE_COMPLETED:
        this.completed = this.settled = true;
        return;
      case TaskState.TASK_STATE_FAILED:
      case TaskState.TASK_STATE_REJECTED:
        this.settled = true;
        throw this.errorFrom(status, 'internal_error');
      case TaskState.TASK_STATE_CANCELED:
        this.settled = true;
        throw this.errorFrom(status, 'cancelled');
      case TaskState.TASK_STATE_INPUT_REQUIRED:
        // The answer is complete and waits for a person's decision on a proposal, which Aether takes
        // in chat or REST (or a message on this task): for the caller the call succeeded.
        this.completed = this.settled = true;
        return;
      case TaskState.TASK_STATE_AUTH_REQUIRED:
        this.settled = true;
        throw new AgentError('not_implemented', `The ${this.callee} agent paused for authentication, which Aether callers do not support`, this.callee);
      default:
        return;
    }
  }

  private errorFrom(status: TaskStatus, fallback: AgentErrorCode): AgentError {
    const texts: string[] = [];
    for (const part of status.message?.parts ?? []) {
      const content = part.content;
      if (content?.$case === 'data' && isErrorPayload(content.value)) {
        const { code, content: message, agent } = content.value;
        return new AgentError(
          isAgentErrorCode(code) ? code : fallback,
          message || `The ${this.callee} agent failed`,
          isAgentName(agent) ? agent : this.callee,
        );
      }
      if (content?.$case === 'text' && content.value) texts.push(content.value);
    }
    const state = fallback === 'cancelled' ? 'was cancelled' : 'failed';
    return new AgentError(fallback, texts.join('\n') || `The ${this.callee} agent ${state}`, this.callee);
  }
}

function isErrorPayload(value: unknown): value is { code?: unknown; content?: string; agent?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'error' &&
    (typeof (value as { content?: unknown }).content === 'string' || (value as { content?: unknown }).content === undefined)
  );
}
