import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A device (HA device registry). `name` is the user's name for it when they gave one. */
@Entity({ name: 'ha_devices' })
@Index('idx_ha_devices_area', ['areaId'])
export class HaDeviceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  manufacturer!: string | null;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ name: 'area_id', type: 'text', nullable: true })
  areaId!: string | null;

  @Column({ name: 'via_device_id', type: 'text', nullable: true })
  viaDeviceId!: string | null;

  @Column({ name: 'sw_version', type: 'text', nullable: true })
  swVersion!: string | null;

  @Column({ name: 'disabled_by', type: 'text', nullable: true })
  disabledBy!: string | null;

  @Column({ type: 'jsonb' })
  labels!: string[];

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
