import { AgentError } from './agent-contract';
import { isRecord, isText, shown } from './wire-values';
import type { AgentName } from './agent-names';
import { PROPOSAL_KINDS, PROPOSAL_STATUSES, type Proposal, type ProposalDraft, type ProposalKind, type ProposalStatus } from './proposals';

/**
 * The structured input of the Developer agent (`AgentRequest.data`), which owns the proposal
 * lifecycle: other agents (the Architect, the Dashboard Designer) hand it drafts to check and
 * store, and the gateway asks it to deploy or roll back what a person approved. The owner of a
 * proposal is the call's context (`userId`, `conversationId`), never a field of the request.
 * Values come from another process, so each is checked where it is read: a wrong one is refused
 * as `invalid_input` naming the field.
 */
export const DEVELOPER_ACTIONS = ['propose', 'approve', 'reject', 'deploy', 'rollback', 'get', 'list'] as const;
export type DeveloperAction = (typeof DEVELOPER_ACTIONS)[number];

/** A draft as an agent hands it over: the Developer assesses the risk itself, from the payload, and reads what it would replace from HA. */
export type ProposalDraftInput<K extends ProposalKind = ProposalKind> = Omit<ProposalDraft<K>, 'risk' | 'replaces'>;

export type DeveloperRequestData =
  /** Check the draft against HA's schema and the live home; store it as `proposed`, or refuse it (`invalid_input`, the errors in the message). */
  | { action: 'propose'; draft: ProposalDraftInput }
  /** A person approved the caller's `proposed` (or `failed`) proposal: record who and when; nothing is deployed yet. */
  | { action: 'approve'; proposalId: string }
  /** A person rejected the caller's proposal: it can never be deployed. */
  | { action: 'reject'; proposalId: string; reason?: string }
  /** Deploy an `approved` proposal of the caller's. */
  | { action: 'deploy'; proposalId: string }
  /** Roll back a `deployed` proposal of the caller's. */
  | { action: 'rollback'; proposalId: string }
  /** One proposal of the caller's. */
  | { action: 'get'; proposalId: string }
  /** The caller's proposals, newest first, optionally only those of one status and/or conversation. */
  | { action: 'list'; status?: ProposalStatus; conversationId?: string; limit?: number };

export function readDeveloperRequest(data: Record<string, unknown> | undefined, agent: AgentName): DeveloperRequestData {
  const action = data?.['action'];
  if (typeof action !== 'string' || !(DEVELOPER_ACTIONS as readonly string[]).includes(action)) {
    throw new AgentError('invalid_input', `data.action must be one of ${DEVELOPER_ACTIONS.join(', ')}, got ${shown(action)}.`, agent);
  }
  if (action === 'propose') return { action, draft: readDraft(data?.['draft'], agent) };
  if (action === 'list') return readList(data ?? {}, agent);
  const proposalId = data?.['proposalId'];
  if (!isText(proposalId)) throw new AgentError('invalid_input', `data.proposalId must be a proposal id, got ${shown(proposalId)}.`, agent);
  if (action === 'reject') {
    const reason = data?.['reason'];
    if (reason !== undefined && typeof reason !== 'string') throw new AgentError('invalid_input', `data.reason must be a string, got ${shown(reason)}.`, agent);
    return { action, proposalId, ...(reason ? { reason } : {}) };
  }
  return { action: action as 'approve' | 'deploy' | 'rollback' | 'get', proposalId };
}

function readList(data: Record<string, unknown>, agent: AgentName): DeveloperRequestData {
  const { status, conversationId, limit } = data;
  if (status !== undefined && !(PROPOSAL_STATUSES as readonly unknown[]).includes(status)) {
    throw new AgentError('invalid_input', `data.status must be one of ${PROPOSAL_STATUSES.join(', ')}, got ${shown(status)}.`, agent);
  }
  if (conversationId !== undefined && !isText(conversationId)) throw new AgentError('invalid_input', `data.conversationId must be a conversation id, got ${shown(conversationId)}.`, agent);
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) > 0)) throw new AgentError('invalid_input', `data.limit must be a positive integer, got ${shown(limit)}.`, agent);
  return {
    action: 'list',
    ...(status !== undefined ? { status: status as ProposalStatus } : {}),
    ...(conversationId !== undefined ? { conversationId: conversationId as string } : {}),
    ...(limit !== undefined ? { limit: limit as number } : {}),
  };
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

/**
 * Why the Developer did not act on a proposal: the caller has no such proposal (another caller's is
 * not found, never forbidden), or its status does not allow the move (approving a rejected one).
 */
export interface DeveloperRefusal {
  reason: 'not_found' | 'conflict';
  message: string;
}

/**
 * The Developer's answer, as its `result` event's data: the proposal acted on (a failed deploy is a
 * proposal `failed` with HA's reason, not an error), the list, or a refusal. An invalid draft is an
 * `invalid_input` error instead: nothing was stored.
 */
export type DeveloperResultData = { proposal: Proposal } | { proposals: Proposal[] } | { refused: DeveloperRefusal };

/** The Developer's result, checked where it is received. */
export function readDeveloperOutcome(data: Record<string, unknown>, agent: AgentName): DeveloperResultData {
  const refused = data['refused'];
  if (isRecord(refused) && (refused['reason'] === 'not_found' || refused['reason'] === 'conflict') && typeof refused['message'] === 'string') {
    return { refused: { reason: refused['reason'], message: refused['message'] } };
  }
  const proposals = data['proposals'];
  if (Array.isArray(proposals)) return { proposals: proposals.map((proposal) => readDeveloperResult({ proposal }, agent)) };
  return { proposal: readDeveloperResult(data, agent) };
}

/** `data.proposal` of the Developer's result, checked where it is received. */
export function readDeveloperResult(data: Record<string, unknown>, agent: AgentName): Proposal {
  const proposal = data['proposal'];
  if (!isRecord(proposal) || !isText(proposal['id']) || !isText(proposal['status']) || !isText(proposal['kind'])) {
    throw new AgentError('upstream_error', `The developer's result carries no proposal (got ${shown(proposal)}).`, agent);
  }
  return proposal as unknown as Proposal;
}
