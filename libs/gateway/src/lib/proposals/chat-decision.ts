import {
  proposalOutcomeText,
  readDeveloperOutcome,
  type AgentCallOptions,
  type AgentCallResult,
  type AgentClient,
  type AgentEvent,
  type AgentRequest,
  type DeveloperRequestData,
  type DeveloperResultData,
  type Proposal,
} from '@aether/core';

/** What a chat message decides about the conversation's proposal. */
export type ChatDecision = 'approve' | 'reject' | 'rollback';

const POLITE = String.raw`(?:\s+(?:please|now|thanks|thank\s+you))?`;
const DECISIONS: ReadonlyArray<[ChatDecision, RegExp]> = [
  ['approve', new RegExp(String.raw`^(?:(?:yes|yep|ok|okay|sure)[\s,!]*)?(?:approved?|approve\s+(?:it|this|that|the\s+proposal)|deploy(?:\s+it)?|go\s+ahead|do\s+it|yes)${POLITE}$`)],
  ['reject', new RegExp(String.raw`^(?:no[\s,!]*)?(?:reject(?:ed)?|reject\s+(?:it|this|that|the\s+proposal)|drop\s+it|discard(?:\s+it)?|cancel(?:\s+it)?|no)${POLITE}$`)],
  ['rollback', new RegExp(String.raw`^(?:roll\s*(?:it\s+)?back|undo)(?:\s+(?:it|this|that|the\s+(?:change|proposal|deployment)))?${POLITE}$`)],
];
/** A proposal named by its id or the id's first 8 characters ("approve 3f2a9c1d"). */
const NAMED = /\b([0-9a-f]{8})(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b/;

/** The decision a chat message states, and the proposal it names if any; undefined for anything else (a change request, a question). */
export function readChatDecision(message: string): { decision: ChatDecision; named?: string } | undefined {
  const text = message.toLowerCase().replace(/[*_`"'.!]+/g, ' ').replace(/\s+/g, ' ').trim();
  const named = NAMED.exec(text)?.[1];
  const bare = named ? text.replace(NAMED, '').replace(/\s+/g, ' ').trim() : text;
  for (const [decision, pattern] of DECISIONS) if (pattern.test(bare)) return { decision, ...(named ? { named } : {}) };
  return undefined;
}

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

  constructor(
    private readonly developer: AgentClient,
    private readonly decision: ChatDecision,
    private readonly proposal: Proposal,
  ) {}

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
