import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A floor of the home (HA floor registry). */
@Entity({ name: 'ha_floors' })
export class HaFloorEntity {
  @PrimaryColumn({ name: 'floor_id', type: 'text' })
  floorId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer', nullable: true })
  level!: number | null;

  @Column({ type: 'jsonb' })
  aliases!: string[];

  /** Hash of the catalogued fields: a full run counts a row as updated only when it changes. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
