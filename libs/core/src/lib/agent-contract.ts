import type { AgentEvent, AgentErrorCode } from './agent-events';
import type { AgentName } from './agent-names';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatTurn {
  role: ChatRole;
  content: string;
}

/**
 * Who is asking and under which conversation. Travels with every agent call: in-process as an
 * object, over A2A as the `contextId` (conversationId) plus message metadata. The trace context
 * is not part of it: OpenTelemetry carries it (the active context in-process, W3C headers over HTTP).
 */
export interface CallContext {
  conversationId: string;
  /** The end user's identity as established by the gateway (API key label, or "anonymous"). */
  userId: string;
  /** The model the client asked for (OpenAI `model` field); agents pass it to the LLM factory. */
  model?: string;
  /**
   * When the whole request must be done (epoch ms, this process's clock). Set by the gateway and
   * honoured on every hop: a client aborts its call at the deadline and a callee does not start
   * work whose deadline passed. Over A2A it travels as the remaining budget (see `remainingBudgetMs`),
   * so hosts' clocks need not agree.
   */
  deadline?: number;
}

/** Milliseconds left before `deadline` (may be ≤ 0); `undefined` when there is none. */
export function remainingBudgetMs(deadline: number | undefined, now = Date.now()): number | undefined {
  return deadline === undefined ? undefined : Math.floor(deadline - now);
}

/** What an agent is asked to do. */
export interface AgentRequest {
  /** The message this call is about (for the top agent: the user's last message). */
  message: string;
  /** Earlier turns of the conversation, oldest first, not including `message`. */
  history: ChatTurn[];
  /** Structured input for agent-to-agent calls (e.g. `{ specialist: 'energy', hours: 24 }`). */
  data?: Record<string, unknown>;
  context: CallContext;
}

/**
 * Domain-level agent: plain code with no transport. It yields events as it works and returns when
 * done. Throwing `AgentError` (or any error) fails the run; the A2A executor turns that into a
 * failed task carrying the error code and message.
 */
export interface Agent {
  readonly name: AgentName;
  run(request: AgentRequest, signal: AbortSignal): AsyncIterable<AgentEvent>;
  /**
   * Set by an agent whose runs can end waiting for a person's decision: a run that emitted
   * `approval_required` ends its A2A task in `TASK_STATE_INPUT_REQUIRED` instead of completed, and
   * a message sent on that task continues it.
   */
  readonly pausesForApproval?: boolean;
  /** A task of this agent waiting for input was cancelled (`CancelTask`): drop what it waits on. `request` is the task's first message. */
  cancelWaiting?(request: AgentRequest): Promise<void>;
}

/** What a caller gets back from `AgentClient.send`. */
export interface AgentCallResult {
  /** Concatenation of the callee's token events: its answer text. */
  text: string;
  /** Merged `result` events' data (later keys win). */
  data: Record<string, unknown>;
  /** Every non-token event the callee (and agents below it) emitted, in order. */
  events: AgentEvent[];
  taskId: string;
}

/**
 * Handle on another agent. Monolith: drives that agent's A2A request handler in-process.
 * Distributed: the A2A SDK's HTTP client. Callers cannot tell which one they have.
 */
export interface AgentClient {
  readonly agent: AgentName;
  /** Streams the callee's events (tokens included) as they are produced. Throws `AgentError` on failure. */
  stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent>;
  /** Runs the call to completion. Throws `AgentError` on failure. */
  send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult>;
}

export interface AgentCallOptions {
  signal?: AbortSignal;
}

/** A failed agent call or run, with a machine-readable code that survives A2A hops. */
export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    /** The agent where the failure originated. */
    readonly agent?: AgentName,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
