import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One Home Assistant entity: its state snapshot plus where it is. `areaId` is resolved at
 * discovery: the entity's own area, else its device's.
 */
@Entity({ name: 'ha_entities' })
@Index('idx_ha_entities_domain', ['domain'])
@Index('idx_ha_entities_area', ['areaId'])
@Index('idx_ha_entities_device', ['deviceId'])
export class HaEntityEntity {
  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ type: 'text' })
  domain!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'jsonb' })
  attributes!: Record<string, unknown>;

  @Column({ name: 'area_id', type: 'text', nullable: true })
  areaId!: string | null;

  @Column({ name: 'device_id', type: 'text', nullable: true })
  deviceId!: string | null;

  @Column({ type: 'text', nullable: true })
  platform!: string | null;

  @Column({ name: 'device_class', type: 'text', nullable: true })
  deviceClass!: string | null;

  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  @Column({ type: 'jsonb' })
  labels!: string[];

  /** Hash of what the entity is (not its changing state): see `entityContentHash`. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_changed', type: 'timestamptz', nullable: true })
  lastChanged!: Date | null;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
