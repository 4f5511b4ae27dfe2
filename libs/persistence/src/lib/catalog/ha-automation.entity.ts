import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An automation with its stored config (null when HA has none, e.g. YAML-only automations). */
@Entity({ name: 'ha_automations' })
export class HaAutomationEntity {
  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  /** HA's automation config id (the state's `id` attribute). */
  @Column({ name: 'automation_id', type: 'text', nullable: true })
  automationId!: string | null;

  @Column({ type: 'text' })
  alias!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text', nullable: true })
  mode!: string | null;

  @Column({ name: 'trigger_types', type: 'jsonb' })
  triggerTypes!: string[];

  @Column({ type: 'jsonb', nullable: true })
  config!: Record<string, unknown> | null;

  @Column({ name: 'last_triggered', type: 'timestamptz', nullable: true })
  lastTriggered!: Date | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
