import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AnalysisDepth, ImageMediaType, AnalysisReport, AnalysisStrategy, AutomationSuggestion, CrossReference, EvidenceValue, FindingType, InsightStatus, Specialist } from '@aether/core';

/** One data science team run (see `AnalysisReport` in libs/core). */
@Entity({ name: 'analysis_reports' })
@Index('analysis_reports_user_created', ['userId', 'createdAt'])
export class AnalysisReportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The caller that asked (`CallerIdentity.userId`): every read is scoped to it. */
  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ type: 'text' })
  question!: string;

  @Column({ name: 'window_label', type: 'text' })
  window!: string;

  @Column({ type: 'text' })
  strategy!: AnalysisStrategy;

  @Column({ type: 'text' })
  depth!: AnalysisDepth;

  @Column({ type: 'jsonb' })
  specialists!: AnalysisReport['specialists'];

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  consensus!: string;

  @Column({ type: 'jsonb' })
  conflicts!: string[];

  @Column({ type: 'jsonb' })
  recommendations!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One finding of a team run, kept for a person to work through (see `Insight` in libs/core). */
@Entity({ name: 'insights' })
@Index('insights_user_created', ['userId', 'createdAt'])
@Index('insights_user_status', ['userId', 'status'])
@Index('insights_report', ['reportId'])
export class InsightEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  /** Its place in the report (the order the team reported them in). */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ type: 'text' })
  specialist!: Specialist;

  @Column({ type: 'text' })
  type!: FindingType;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'double precision' })
  confidence!: number;

  @Column({ type: 'jsonb' })
  entities!: string[];

  @Column({ type: 'jsonb' })
  evidence!: Record<string, EvidenceValue>;

  @Column({ name: 'automation_suggestion', type: 'jsonb', nullable: true })
  automationSuggestion!: AutomationSuggestion | null;

  @Column({ name: 'cross_references', type: 'jsonb', nullable: true })
  crossReferences!: CrossReference[] | null;

  @Column({ type: 'text' })
  status!: InsightStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A picture of a team run (a chart), kept with its report (see `AnalysisArtifact` in libs/core). */
@Entity({ name: 'analysis_artifacts' })
@Index('analysis_artifacts_report', ['reportId'])
export class AnalysisArtifactEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  /** Its place in the report. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: ImageMediaType;

  @Column({ type: 'bytea' })
  content!: Buffer;

  /** The secret of its link (`ArtifactEvent.accessToken`): whoever holds the link may read it. */
  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
