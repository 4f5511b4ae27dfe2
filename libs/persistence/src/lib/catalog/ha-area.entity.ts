import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An area of the home (HA area registry), with the floor it is on. */
@Entity({ name: 'ha_areas' })
export class HaAreaEntity {
  @PrimaryColumn({ name: 'area_id', type: 'text' })
  areaId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'floor_id', type: 'text', nullable: true })
  floorId!: string | null;

  @Column({ type: 'jsonb' })
  aliases!: string[];

  @Column({ type: 'text', nullable: true })
  icon!: string | null;

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
