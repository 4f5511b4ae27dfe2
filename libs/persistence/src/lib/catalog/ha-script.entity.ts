import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A script with its stored config. */
@Entity({ name: 'ha_scripts' })
export class HaScriptEntity {
  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ name: 'object_id', type: 'text' })
  objectId!: string;

  @Column({ type: 'text' })
  alias!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'text', nullable: true })
  mode!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  config!: Record<string, unknown> | null;

  @Column({ name: 'last_triggered', type: 'timestamptz', nullable: true })
  lastTriggered!: Date | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
