import type { SendMessageRequest, StreamResponse } from '@a2a-js/sdk';
import {
  AgentError,
  type AgentCallOptions,
  type AgentCallResult,
  type AgentClient,
  type AgentEvent,
  type AgentName,
  type AgentRequest,
  remainingBudgetMs,
} from '@aether/core';
import { AgentEventDecoder } from '../protocol/agent-event.codec';
import { encodeAgentRequest } from '../protocol/agent-request.codec';

/**
 * What the HTTP and in-process clients share: the request encoding, the event decoding, the result
 * aggregation, the cancellation rules and the request's deadline (`context.deadline`): a call
 * whose deadline passed is not made, and one still running at the deadline is aborted, its task
 * cancelled, with a `timeout` error naming the callee. A subclass only opens the A2A stream and
 * cancels a task.
 */
export abstract class A2aAgentClient implements AgentClient {
  constructor(readonly agent: AgentName) {}

  /** Opens the `SendStreamingMessage` stream; `signal` aborts the transport. */
  protected abstract open(params: SendMessageRequest, request: AgentRequest, signal: AbortSignal): AsyncIterable<StreamResponse>;

  /** Asks the callee to cancel `taskId`. Best effort: must not throw. */
  protected abstract cancelTask(taskId: string): Promise<void>;

  /** Turns a transport failure (anything that is not already an `AgentError`) into an `AgentError`. */
  protected abstract transportError(error: unknown): AgentError;

  stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    return this.call(request, options?.signal, new AgentEventDecoder(this.agent));
  }

  async send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult> {
    const decoder = new AgentEventDecoder(this.agent);
    const result: AgentCallResult = { text: '', data: {}, events: [], taskId: '' };
    for await (const event of this.call(request, options?.signal, decoder)) {
      if (event.type === 'token') {
        result.text += event.content;
        continue;
      }
      if (event.type === 'result') Object.assign(result.data, event.data);
      result.events.push(event);
    }
    result.taskId = decoder.taskId ?? '';
    return result;
  }

  private async *call(request: AgentRequest, signal: AbortSignal | undefined, decoder: AgentEventDecoder): AsyncGenerator<AgentEvent> {
    if (signal?.aborted) throw this.cancelled();
    const budget = remainingBudgetMs(request.context.deadline);
    if (budget !== undefined && budget <= 0) throw this.deadlinePassed();
    const transport = new AbortController();
    let cancelSent = false;
    const cancel = () => {
      if (cancelSent || !decoder.taskId || decoder.settled) return;
      cancelSent = true;
      void this.cancelTask(decoder.taskId);
    };
    const onAbort = () => {
      transport.abort(signal?.reason);
      cancel();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const deadlineTimer =
      budget === undefined
        ? undefined
        : setTimeout(() => {
            transport.abort(this.deadlinePassed());
            cancel();
          }, budget);
    try {
      for await (const response of this.open(encodeAgentRequest(request), request, transport.signal)) {
        const events = decoder.decode(response);
        // Aborted before the task id was known: cancel as soon as it is.
        if (signal?.aborted) cancel();
        for (const event of events) yield event;
      }
      if (!decoder.completed) {
        throw new AgentError('agent_unavailable', `The ${this.agent} agent's stream ended before its task finished`, this.agent);
      }
    } catch (error) {
      if (signal?.aborted) throw this.cancelled();
      // Our own deadline fired: whatever the transport made of the abort, the cause is the deadline.
      if (transport.signal.reason instanceof AgentError) throw transport.signal.reason;
      throw error instanceof AgentError ? error : this.transportError(error);
    } finally {
      clearTimeout(deadlineTimer);
      signal?.removeEventListener('abort', onAbort);
      // The caller stopped reading (or the call failed) while the task still runs: don't leave it orphaned.
      cancel();
    }
  }

  private deadlinePassed(): AgentError {
    return new AgentError('timeout', `The request's deadline passed while waiting for the ${this.agent} agent`, this.agent);
  }

  private cancelled(): AgentError {
    return new AgentError('cancelled', `The call to the ${this.agent} agent was cancelled`, this.agent);
  }
}
