import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A named gateway API key. Only the sha256 of the key is stored (keys are 256-bit random, so a
 * plain hash is enough: no salt or slow KDF is needed against guessing); the key itself is shown
 * once, when it is created. A revoked key keeps its row, so its name stays taken and its history
 * readable.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  /** Hex sha256 of the key. */
  @Column({ name: 'key_hash', type: 'text', unique: true })
  keyHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** This key's own request rate limit; null = the gateway's default. */
  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true })
  requestsPerMinute!: number | null;

  /** This key's own cap on requests in flight; null = the gateway's default. */
  @Column({ name: 'max_concurrent', type: 'integer', nullable: true })
  maxConcurrent!: number | null;
}
