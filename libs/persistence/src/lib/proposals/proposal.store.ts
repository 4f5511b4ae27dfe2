import type { Proposal, ProposalDraft, ProposalOwner, ProposalStatus } from '@aether/core';

export interface ProposalQuery {
  userId: string;
  status?: ProposalStatus;
  conversationId?: string;
  /** Newest first; default 50, at most 200. */
  limit?: number;
}

/** What a status change records besides the status. */
export interface ProposalOutcome {
  /** With `approved`: who approved (recorded with the time). */
  approvedBy?: string;
  /** With `deployed`: what the deploy replaced (null: it created something new). */
  snapshot?: Record<string, unknown> | null;
  deployResult?: Record<string, unknown>;
  /** With `failed` (or `rejected`): why. */
  failureReason?: string;
}

/** Proposals, scoped to the caller that created them; implemented over TypeORM. */
export abstract class ProposalStore {
  /**
   * Stores a validated draft as `proposed`. A draft that `revises` another of the same caller gets
   * the next version, and the revised one (if still `proposed`) is rejected in the same transaction:
   * only the newest version can be approved.
   */
  abstract create(draft: ProposalDraft, owner: ProposalOwner): Promise<Proposal>;
  /** The caller's proposal, or undefined (another caller's is not found, not forbidden). */
  abstract get(id: string, userId: string): Promise<Proposal | undefined>;
  abstract list(query: ProposalQuery): Promise<Proposal[]>;
  /**
   * Moves the caller's proposal to `to` with what the move records, atomically: of two concurrent
   * approvals one wins and the other gets `ProposalStatusConflict`. Undefined when there is no such
   * proposal for this caller.
   */
  abstract move(id: string, userId: string, to: ProposalStatus, outcome?: ProposalOutcome): Promise<Proposal | undefined>;
}
