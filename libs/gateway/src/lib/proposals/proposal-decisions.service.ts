import { AgentDirectory } from '@aether/agent-runtime';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { readDeveloperOutcome, type AgentEvent, type DeveloperRequestData, type DeveloperResultData, type Proposal, type ProposalStatus } from '@aether/core';
import { Inject, Injectable } from '@nestjs/common';

/** Who acts on proposals: the caller's key, and (in chat) the conversation. */
export interface ProposalCaller {
  userId: string;
  /** The conversation of a chat decision; REST calls act outside any conversation. */
  conversationId?: string;
}

/** The conversation id REST calls travel under (A2A needs a context id; the Developer uses it only for new proposals). */
const REST_CONTEXT = 'proposals-api';

/**
 * The gateway's side of the proposal lifecycle: every read and every move goes through the
 * Developer agent (in-process or over A2A, like any agent), which owns the proposals and the only
 * path to Home Assistant. Approving never writes to HA; deploying does, and only what is approved.
 */
@Injectable()
export class ProposalDecisions {
  constructor(
    private readonly agents: AgentDirectory,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  async list(caller: ProposalCaller, query: { status?: ProposalStatus; conversationId?: string; limit?: number }): Promise<Proposal[]> {
    const outcome = await this.ask(caller, { action: 'list', ...query });
    return 'proposals' in outcome ? outcome.proposals : [];
  }

  async ask(caller: ProposalCaller, data: DeveloperRequestData, onEvent?: (event: AgentEvent) => void | Promise<void>, signal?: AbortSignal): Promise<DeveloperResultData> {
    let result: Record<string, unknown> = {};
    const events = this.agents.client('developer').stream(
      {
        message: data.action,
        history: [],
        data: data as unknown as Record<string, unknown>,
        context: {
          userId: caller.userId,
          conversationId: caller.conversationId ?? REST_CONTEXT,
          deadline: Date.now() + this.config.agentCalls.requestDeadlineMs,
        },
      },
      { signal },
    );
    for await (const event of events) {
      if (event.type === 'result') result = { ...result, ...event.data };
      else await onEvent?.(event);
    }
    return readDeveloperOutcome(result, 'developer');
  }
}
