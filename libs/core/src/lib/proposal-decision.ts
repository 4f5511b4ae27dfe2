import type { AgentCallOptions, AgentCallResult, AgentClient, AgentRequest } from './agent-contract';
import type { AgentEvent } from './agent-events';
import { readDeveloperOutcome, type DeveloperRequestData, type DeveloperResultData } from './developer-protocol';
import { proposalOutcomeText, type ChatDecision } from './proposal-text';
import type { Proposal } from './proposals';

/** Which proposal a decision acts on: the named one, else the newest in the status the decision needs. */
export function decisionTarget(proposals: readonly Proposal[], named: string | undefined): Proposal | undefined {
  return named ? proposals.find((proposal) => proposal.id.startsWith(named)) : proposals[0];
}

/**
 * Answers a chat decision on one proposal as if it were an agent (the gateway streams it like any
 * answer): approve then deploy, reject, or roll back, each through the Developer, forwarding its
 * events (`deployed`, `rolled_back`, its status lines) and ending with what happened.
 */
export class ProposalDecisionClient implements AgentClient {
  readonly agent = 'developer' as const;

  private readonly developer: AgentClient;
  private readonly decision: ChatDecision;
  private readonly proposal: Proposal;

  constructor(developer: AgentClient, decision: ChatDecision, proposal: Proposal) {
    this.developer = developer;
    this.decision = decision;
    this.proposal = proposal;
  }

  async *stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    const steps: DeveloperRequestData[] =
      this.decision === 'approve'
        ? [
            { action: 'approve', proposalId: this.proposal.id },
            { action: 'deploy', proposalId: this.proposal.id },
          ]
        : this.decision === 'reject'
          ? [{ action: 'reject', proposalId: this.proposal.id }]
          : [{ action: 'rollback', proposalId: this.proposal.id }];
    let outcome: DeveloperResultData | undefined;
    for (const data of steps) {
      let result: Record<string, unknown> = {};
      for await (const event of this.developer.stream({ message: data.action, history: [], data: data as unknown as Record<string, unknown>, context: request.context }, options)) {
        if (event.type === 'result') result = { ...result, ...event.data };
        else yield event;
      }
      outcome = readDeveloperOutcome(result, 'developer');
      if (!('proposal' in outcome)) break;
    }
    const text = outcome && 'proposal' in outcome ? proposalOutcomeText(outcome.proposal) : `Nothing was done: ${outcome && 'refused' in outcome ? outcome.refused.message : 'the Developer gave no answer.'}`;
    yield { type: 'token', agent: 'developer', content: text };
  }

  async send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult> {
    const result: AgentCallResult = { text: '', data: {}, events: [], taskId: '' };
    for await (const event of this.stream(request, options)) {
      if (event.type === 'token') result.text += event.content;
      else result.events.push(event);
    }
    return result;
  }
}
