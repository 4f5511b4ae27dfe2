import type { SendMessageRequest, StreamResponse } from '@a2a-js/sdk';
import type { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { AgentError, type AgentName } from '@aether/core';
import { serviceCallContext } from '../handlers/service-caller';
import { A2aAgentClient } from './a2a-agent.client';

/**
 * `AgentClient` that drives the callee's A2A request handler directly: the same task store, the
 * same events and the same decoding as over HTTP, minus the network. The handler is looked up on
 * first use because agents that call each other are built before any of them can be resolved.
 */
export class InProcessAgentClient extends A2aAgentClient {
  constructor(
    agent: AgentName,
    private readonly requestHandler: () => DefaultRequestHandler,
  ) {
    super(agent);
  }

  protected open(params: SendMessageRequest): AsyncIterable<StreamResponse> {
    // The stream ends on its own once a cancel reaches the task, so the transport signal is not needed.
    return this.requestHandler().sendMessageStream(params, serviceCallContext());
  }

  protected async cancelTask(taskId: string): Promise<void> {
    try {
      await this.requestHandler().cancelTask({ id: taskId, tenant: '', metadata: undefined }, serviceCallContext());
    } catch {
      // Already finished: nothing to cancel.
    }
  }

  protected transportError(error: unknown): AgentError {
    const message = (error as { message?: unknown } | null)?.message ?? String(error);
    return new AgentError('internal_error', `The in-process call to the ${this.agent} agent failed: ${message}`, this.agent);
  }
}
