import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A scene with its stored config (null for scenes HA cannot edit). */
@Entity({ name: 'ha_scenes' })
export class HaSceneEntity {
  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  /** HA's scene config id (the state's `id` attribute). */
  @Column({ name: 'scene_id', type: 'text', nullable: true })
  sceneId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'jsonb', nullable: true })
  config!: Record<string, unknown> | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
