// A proposal: the one path to any change of Home Assistant. Nothing is written to HA until a person
// approves that exact payload; every deployed change keeps the snapshot it replaced, so it can be
// rolled back. The contract crosses hops (Architect → gateway → Developer), so it is typed once here.
//
// Erasable TypeScript only, like the agent table: plain data and functions.

export const PROPOSAL_KINDS = ['entity_command', 'automation', 'script', 'scene', 'helper', 'dashboard'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROPOSAL_STATUSES = ['proposed', 'approved', 'deployed', 'rolled_back', 'rejected', 'failed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/**
 * The moves a proposal may make. `failed` is reached from `approved` (the deploy failed: HA was left
 * as it was) and from `deployed` (the rollback failed: HA holds the deployed change; the reason says
 * what to do); a failed proposal may be approved again to retry.
 */
export const PROPOSAL_TRANSITIONS: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['deployed', 'failed'],
  deployed: ['rolled_back', 'failed'],
  rolled_back: [],
  rejected: [],
  failed: ['approved', 'rejected'],
};

export function canMoveProposal(from: ProposalStatus, to: ProposalStatus): boolean {
  return PROPOSAL_TRANSITIONS[from].includes(to);
}

/** A service call on entities ("turn off the kitchen light"). */
export interface EntityCommandPayload {
  domain: string;
  service: string;
  entityIds: string[];
  data?: Record<string, unknown>;
}

/** An automation, script or scene config as HA's config API stores it, under the id it will use. */
export interface ConfigPayload {
  config: Record<string, unknown>;
}

/** Home Assistant's UI helper domains: what a helper proposal can make. */
export const HELPER_DOMAINS = ['input_boolean', 'input_number', 'input_select', 'input_text', 'input_datetime', 'input_button'] as const;
export type HelperDomain = (typeof HELPER_DOMAINS)[number];

/**
 * A helper (`input_boolean`, `input_number`, …) made over the WebSocket API (`<domain>/create`), or
 * an existing UI-made one changed (`<domain>/update` of `id`): its whole config, as HA stores it.
 */
export interface HelperPayload {
  domain: HelperDomain;
  config: Record<string, unknown>;
  /** The existing helper's id to change; absent for a new helper (HA then derives its id from the name). */
  id?: string;
}

/** A Lovelace dashboard: its url path and full config. */
export interface DashboardPayload {
  urlPath: string;
  title: string;
  config: Record<string, unknown>;
}

export interface ProposalPayloads {
  entity_command: EntityCommandPayload;
  automation: ConfigPayload;
  script: ConfigPayload;
  scene: ConfigPayload;
  helper: HelperPayload;
  dashboard: DashboardPayload;
}

/** Why a proposal needs a second look (locks, alarm panels, covers and garage doors, disabling security automations). */
export interface ProposalRisk {
  level: 'normal' | 'high';
  reasons: string[];
}

/** What an agent drafts; the store adds identity, status and history. */
export interface ProposalDraft<K extends ProposalKind = ProposalKind> {
  kind: K;
  title: string;
  description: string;
  /** Exactly what would be sent to HA. */
  payload: ProposalPayloads[K];
  /** The HA id it will use (automation id, script object id, scene id, dashboard url path, or the targeted entities). */
  haId: string;
  risk: ProposalRisk;
  /** The proposal this one revises ("make it 30 minutes after sunset"), which it replaces. */
  revises?: string;
  /**
   * The config Home Assistant had under `haId` when this was proposed (an automation, script or
   * scene it would change): the person approving sees the difference. Absent: it creates something new.
   * Set by the Developer, never by the drafting agent.
   */
  replaces?: Record<string, unknown>;
}

/** Who and where: a proposal belongs to the caller (API key) and conversation that created it. */
export interface ProposalOwner {
  userId: string;
  conversationId: string;
}

export interface Proposal<K extends ProposalKind = ProposalKind> extends ProposalDraft<K>, ProposalOwner {
  id: string;
  status: ProposalStatus;
  /** 1 for a first draft; a revision is its original's version + 1. */
  version: number;
  approvedBy?: string;
  approvedAt?: string;
  /** What the deploy replaced (the previous config, or null when it created something new); set once deployed. */
  snapshot?: Record<string, unknown> | null;
  /** What HA answered to the deploy (ids, the state seen afterwards). */
  deployResult?: Record<string, unknown>;
  /** Why it failed, in HA's words where HA refused. */
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** A status change the proposal's current status does not allow (approving a rejected one, deploying twice). */
export class ProposalStatusConflict extends Error {
  constructor(
    readonly proposalId: string,
    readonly from: ProposalStatus,
    readonly to: ProposalStatus,
  ) {
    super(`Proposal ${proposalId} is ${from}; it cannot become ${to}.`);
    this.name = 'ProposalStatusConflict';
  }
}
