import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProposalKind, ProposalRisk, ProposalStatus } from '@aether/core';

/** One proposed change to Home Assistant (see `Proposal` in libs/core). */
@Entity({ name: 'proposals' })
@Index('proposals_user_created', ['userId', 'createdAt'])
@Index('proposals_user_conversation_status', ['userId', 'conversationId', 'status'])
export class ProposalEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The caller that created it (`CallerIdentity.userId`): every read and change is scoped to it. */
  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ type: 'text' })
  kind!: ProposalKind;

  @Column({ type: 'text' })
  status!: ProposalStatus;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'uuid', nullable: true })
  revises!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'ha_id', type: 'text' })
  haId!: string;

  @Column({ type: 'jsonb' })
  risk!: ProposalRisk;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  replaces!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  snapshot!: Record<string, unknown> | null;

  @Column({ name: 'deploy_result', type: 'jsonb', nullable: true })
  deployResult!: Record<string, unknown> | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
