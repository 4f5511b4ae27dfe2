import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface DiscoveryKindCounts {
  added: number;
  updated: number;
  removed: number;
}

/** added/updated/removed per catalog table for one run. */
export type DiscoverySessionCounts = Partial<Record<'entities' | 'devices' | 'areas' | 'floors' | 'automations' | 'scripts' | 'scenes', DiscoveryKindCounts>>;

/** One discovery run: a full run over states and registries, or one delta batch. */
@Entity({ name: 'discovery_sessions' })
@Index('idx_discovery_sessions_kind_started', ['kind', 'startedAt'])
export class DiscoverySessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'full' | 'delta';

  @Column({ name: 'triggered_by', type: 'text' })
  triggeredBy!: string;

  @Column({ type: 'text' })
  status!: 'running' | 'completed' | 'failed';

  @Column({ name: 'domain_filter', type: 'text', nullable: true })
  domainFilter!: string | null;

  @Column({ name: 'entities_found', type: 'integer', default: 0 })
  entitiesFound!: number;

  @Column({ name: 'devices_found', type: 'integer', default: 0 })
  devicesFound!: number;

  @Column({ name: 'areas_found', type: 'integer', default: 0 })
  areasFound!: number;

  @Column({ name: 'automations_found', type: 'integer', default: 0 })
  automationsFound!: number;

  @Column({ name: 'scripts_found', type: 'integer', default: 0 })
  scriptsFound!: number;

  @Column({ name: 'scenes_found', type: 'integer', default: 0 })
  scenesFound!: number;

  @Column({ type: 'jsonb' })
  counts!: DiscoverySessionCounts;

  @Column({ name: 'domain_counts', type: 'jsonb' })
  domainCounts!: Record<string, number>;

  /** Why it failed, or what it could not read while still completing (e.g. registries). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
