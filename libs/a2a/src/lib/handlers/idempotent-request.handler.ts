import { TaskState, type AgentCard, type CancelTaskRequest, type SendMessageRequest, type StreamResponse, type Message, type Task } from '@a2a-js/sdk';
import type { Agent } from '@aether/core';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { DefaultRequestHandler, type AgentExecutor, type ServerCallContext, type TaskStore } from '@a2a-js/sdk/server';
import { DEADLINE_EXCEEDED_REASON, DUPLICATE_MESSAGE_REASON } from '../protocol/a2a-wire';
import { budgetOf, decodeAgentRequest } from '../protocol/agent-request.codec';

/** How long and how many message ids are remembered: far beyond any retry's backoff. */
const REMEMBER_MS = 10 * 60_000;
const REMEMBER_MAX = 20_000;

/**
 * The SDK's request handler, refusing before any task exists:
 * - a message id it already accepted (a caller's retry whose first attempt did arrive): the work
 *   runs once, never twice — the caller reports the broken connection instead;
 * - a message whose deadline budget is spent: nobody is waiting for its answer any more.
 * Both are refused with a JSON-RPC error (-32600 family via `RequestMalformedError`) whose message
 * carries the reason, so an Aether client can tell them from other refusals.
 * Cancelling a task that waits for a person's decision first lets its agent drop what it waits on
 * (`Agent.cancelWaiting`: the Architect rejects its proposal).
 */
export class IdempotentRequestHandler extends DefaultRequestHandler {
  /** Message id → when it was accepted. A Map keeps insertion order, so the oldest are evicted first. */
  private readonly accepted = new Map<string, number>();

  constructor(
    card: AgentCard,
    store: TaskStore,
    executor: AgentExecutor,
    private readonly agent?: Pick<Agent, 'cancelWaiting'>,
  ) {
    super(card, store, executor);
  }

  override async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    if (this.agent?.cancelWaiting) {
      const task = await this.getTask({ id: params.id, historyLength: undefined, tenant: params.tenant } as never, context).catch(() => undefined);
      const first = task?.history?.[0];
      if (task?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED && first) await this.agent.cancelWaiting(decodeAgentRequest(first, task.contextId));
    }
    return super.cancelTask(params, context);
  }

  override sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Message | Task> {
    try {
      this.admit(params);
    } catch (error) {
      return Promise.reject(error);
    }
    return super.sendMessage(params, context);
  }

  // Not a generator of its own: no extra step per event on the hot path. A refusal throws here,
  // which the JSON-RPC transport (and the in-process client) report before any task exists.
  override sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    this.admit(params);
    return super.sendMessageStream(params, context);
  }

  private admit(params: SendMessageRequest): void {
    const message = params.message;
    if (!message) return;
    const budget = budgetOf(message);
    if (budget !== undefined && budget <= 0) {
      throw new RequestMalformedError({ message: `${DEADLINE_EXCEEDED_REASON}: the request's deadline passed before the agent could start` });
    }
    const id = message.messageId;
    if (!id) return;
    const now = Date.now();
    this.forgetOld(now);
    if (this.accepted.has(id)) {
      throw new RequestMalformedError({ message: `${DUPLICATE_MESSAGE_REASON}: message ${id} was already received; it is not run twice` });
    }
    this.accepted.set(id, now);
  }

  // Hand-written rather than an LRU library: a bounded, time-ordered Map is all this needs.
  private forgetOld(now: number): void {
    for (const [id, at] of this.accepted) {
      if (now - at < REMEMBER_MS && this.accepted.size < REMEMBER_MAX) break;
      this.accepted.delete(id);
    }
  }
}
