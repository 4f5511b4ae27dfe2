import { AgentError } from './agent-contract';
import type { AgentName } from './agent-names';
import { PROPOSAL_KINDS, type Proposal, type ProposalDraft, type ProposalKind } from './proposals';
import { truncate } from './truncate';

/**
 * The structured input of the Developer agent (`AgentRequest.data`), which owns the proposal
 * lifecycle: other agents (the Architect, the Dashboard Designer) hand it drafts to check and
 * store, and the gateway asks it to deploy or roll back what a person approved. The owner of a
 * proposal is the call's context (`userId`, `conversationId`), never a field of the request.
 * Values come from another process, so each is checked where it is read: a wrong one is refused
 * as `invalid_input` naming the field.
 */
export const DEVELOPER_ACTIONS = ['propose', 'deploy', 'rollback'] as const;
export type DeveloperAction = (typeof DEVELOPER_ACTIONS)[number];

/** A draft as an agent hands it over: the Developer assesses the risk itself, from the payload. */
export type ProposalDraftInput<K extends ProposalKind = ProposalKind> = Omit<ProposalDraft<K>, 'risk'>;

export type DeveloperRequestData =
  /** Check the draft against HA's schema and the live home; store it as `proposed`, or refuse it (`invalid_input`, the errors in the message). */
  | { action: 'propose'; draft: ProposalDraftInput }
  /** Deploy an `approved` proposal of the caller's. */
  | { action: 'deploy'; proposalId: string }
  /** Roll back a `deployed` proposal of the caller's. */
  | { action: 'rollback'; proposalId: string };

export function readDeveloperRequest(data: Record<string, unknown> | undefined, agent: AgentName): DeveloperRequestData {
  const action = data?.['action'];
  if (typeof action !== 'string' || !(DEVELOPER_ACTIONS as readonly string[]).includes(action)) {
    throw new AgentError('invalid_input', `data.action must be one of ${DEVELOPER_ACTIONS.join(', ')}, got ${shown(action)}.`, agent);
  }
  if (action === 'propose') return { action, draft: readDraft(data?.['draft'], agent) };
  const proposalId = data?.['proposalId'];
  if (!isText(proposalId)) throw new AgentError('invalid_input', `data.proposalId must be a proposal id, got ${shown(proposalId)}.`, agent);
  return { action: action as 'deploy' | 'rollback', proposalId };
}

function readDraft(value: unknown, agent: AgentName): ProposalDraftInput {
  const fail = (field: string, rule: string, got: unknown) =>
    new AgentError('invalid_input', `data.draft${field ? `.${field}` : ''} ${rule}, got ${shown(got)}.`, agent);
  if (!isRecord(value)) throw fail('', 'must be a proposal draft object', value);
  const kind = value['kind'];
  if (typeof kind !== 'string' || !(PROPOSAL_KINDS as readonly string[]).includes(kind)) throw fail('kind', `must be one of ${PROPOSAL_KINDS.join(', ')}`, kind);
  for (const field of ['title', 'haId'] as const) if (!isText(value[field])) throw fail(field, 'must be a non-empty string', value[field]);
  if (typeof value['description'] !== 'string') throw fail('description', 'must be a string', value['description']);
  if (!isRecord(value['payload'])) throw fail('payload', 'must be an object', value['payload']);
  if (value['revises'] !== undefined && !isText(value['revises'])) throw fail('revises', 'must be a proposal id', value['revises']);
  return {
    kind: kind as ProposalKind,
    title: value['title'] as string,
    description: value['description'] as string,
    payload: value['payload'] as never,
    haId: value['haId'] as string,
    ...(value['revises'] !== undefined ? { revises: value['revises'] as string } : {}),
  };
}

/** The Developer's answer to every action, as its `result` event's data. */
export interface DeveloperResultData {
  proposal: Proposal;
}

/** `data.proposal` of the Developer's result, checked where it is received. */
export function readDeveloperResult(data: Record<string, unknown>, agent: AgentName): Proposal {
  const proposal = data['proposal'];
  if (!isRecord(proposal) || !isText(proposal['id']) || !isText(proposal['status']) || !isText(proposal['kind'])) {
    throw new AgentError('upstream_error', `The developer's result carries no proposal (got ${shown(proposal)}).`, agent);
  }
  return proposal as unknown as Proposal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function shown(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value), 80);
}
