import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PROPOSAL_STATUSES, PROPOSAL_TRANSITIONS, ProposalStatusConflict, type Proposal, type ProposalDraft, type ProposalOwner, type ProposalStatus } from '@aether/core';
import { ProposalStore, type ProposalOutcome, type ProposalQuery } from './proposal.store';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

interface ProposalRow {
  id: string;
  user_id: string;
  conversation_id: string;
  kind: Proposal['kind'];
  status: ProposalStatus;
  version: number;
  revises: string | null;
  title: string;
  description: string;
  payload: unknown;
  ha_id: string;
  risk: unknown;
  approved_by: string | null;
  approved_at: Date | string | null;
  replaces: unknown;
  snapshot: unknown;
  deploy_result: unknown;
  failure_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The statuses a proposal may be in to move to `to` (the inverse of `PROPOSAL_TRANSITIONS`). */
function movableFrom(to: ProposalStatus): ProposalStatus[] {
  return PROPOSAL_STATUSES.filter((from) => PROPOSAL_TRANSITIONS[from].includes(to));
}

/** `ProposalStore` over TypeORM: every status change is one conditional UPDATE, so racing approvals cannot both win. */
@Injectable()
export class TypeOrmProposalStore extends ProposalStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async create(draft: ProposalDraft, owner: ProposalOwner): Promise<Proposal> {
    return this.dataSource.transaction(async (manager) => {
      let version = 1;
      if (draft.revises) {
        const [revised]: ProposalRow[] = await manager.query(`SELECT * FROM proposals WHERE id = $1 AND user_id = $2 FOR UPDATE`, [draft.revises, owner.userId]);
        if (!revised) throw new Error(`Proposal ${draft.revises} (to revise) does not exist for this caller.`);
        version = revised.version + 1;
        if (revised.status === 'proposed') {
          await manager.query(`UPDATE proposals SET status = 'rejected', failure_reason = $2, updated_at = now() WHERE id = $1`, [
            revised.id,
            `Replaced by version ${version}.`,
          ]);
        }
      }
      const [row]: ProposalRow[] = await manager.query(
        `INSERT INTO proposals (id, user_id, conversation_id, kind, status, version, revises, title, description, payload, ha_id, risk, replaces, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12::jsonb, now(), now())
         RETURNING *`,
        [
          randomUUID(),
          owner.userId,
          owner.conversationId,
          draft.kind,
          version,
          draft.revises ?? null,
          draft.title,
          draft.description,
          JSON.stringify(draft.payload),
          draft.haId,
          JSON.stringify(draft.risk),
          draft.replaces ? JSON.stringify(draft.replaces) : null,
        ],
      );
      return toProposal(row);
    });
  }

  async get(id: string, userId: string): Promise<Proposal | undefined> {
    return this.find(this.dataSource.manager, id, userId);
  }

  async list(query: ProposalQuery): Promise<Proposal[]> {
    const where = ['user_id = $1'];
    const values: unknown[] = [query.userId];
    if (query.status) {
      values.push(query.status);
      where.push(`status = $${values.length}`);
    }
    if (query.conversationId) {
      values.push(query.conversationId);
      where.push(`conversation_id = $${values.length}`);
    }
    values.push(Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT));
    const rows: ProposalRow[] = await this.dataSource.query(
      `SELECT * FROM proposals WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toProposal);
  }

  async move(id: string, userId: string, to: ProposalStatus, outcome: ProposalOutcome = {}): Promise<Proposal | undefined> {
    if (!UUID.test(id)) return undefined;
    // An UPDATE inside a WITH, so every driver answers with the rows (a bare UPDATE … RETURNING differs by driver).
    const updated: ProposalRow[] = await this.dataSource.query(
      `WITH moved AS (UPDATE proposals SET
         status = $3,
         approved_by = CASE WHEN $3 = 'approved' THEN $5 ELSE approved_by END,
         approved_at = CASE WHEN $3 = 'approved' THEN now() ELSE approved_at END,
         snapshot = CASE WHEN $6::boolean THEN $7::jsonb ELSE snapshot END,
         deploy_result = COALESCE($8::jsonb, deploy_result),
         failure_reason = CASE WHEN $3 IN ('failed', 'rejected') THEN $9 WHEN $3 = 'approved' THEN NULL ELSE failure_reason END,
         updated_at = now()
       WHERE id = $1 AND user_id = $2 AND status = ANY($4::text[])
       RETURNING *)
       SELECT * FROM moved`,
      [
        id,
        userId,
        to,
        movableFrom(to),
        outcome.approvedBy ?? null,
        outcome.snapshot !== undefined,
        outcome.snapshot === undefined ? null : JSON.stringify(outcome.snapshot),
        outcome.deployResult === undefined ? null : JSON.stringify(outcome.deployResult),
        outcome.failureReason ?? null,
      ],
    );
    if (updated.length > 0) return toProposal(updated[0]);
    const current = await this.get(id, userId);
    if (!current) return undefined;
    throw new ProposalStatusConflict(id, current.status, to);
  }

  private async find(manager: EntityManager, id: string, userId: string): Promise<Proposal | undefined> {
    // An id that is not a uuid names no proposal (and must not reach the uuid column as a query error).
    if (!UUID.test(id)) return undefined;
    const [row]: ProposalRow[] = await manager.query(`SELECT * FROM proposals WHERE id = $1 AND user_id = $2`, [id, userId]);
    return row ? toProposal(row) : undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toProposal(row: ProposalRow): Proposal {
  const proposal: Proposal = {
    id: row.id,
    userId: row.user_id,
    conversationId: row.conversation_id,
    kind: row.kind,
    status: row.status,
    version: row.version,
    title: row.title,
    description: row.description,
    payload: row.payload as Proposal['payload'],
    haId: row.ha_id,
    risk: row.risk as Proposal['risk'],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  if (row.revises) proposal.revises = row.revises;
  if (row.approved_by) proposal.approvedBy = row.approved_by;
  if (row.approved_at) proposal.approvedAt = iso(row.approved_at);
  if (row.replaces) proposal.replaces = row.replaces as Record<string, unknown>;
  if (row.snapshot !== null && row.snapshot !== undefined) proposal.snapshot = row.snapshot as Record<string, unknown>;
  else if (row.status === 'deployed' || row.status === 'rolled_back') proposal.snapshot = null;
  if (row.deploy_result) proposal.deployResult = row.deploy_result as Record<string, unknown>;
  if (row.failure_reason) proposal.failureReason = row.failure_reason;
  return proposal;
}
