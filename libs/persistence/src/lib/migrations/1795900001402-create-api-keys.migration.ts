import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Named gateway API keys, stored as sha256 hashes (see ApiKeyEntity). */
export class CreateApiKeys1795900001402 implements MigrationInterface {
  name = 'CreateApiKeys1795900001402';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        requests_per_minute integer CHECK (requests_per_minute >= 0),
        max_concurrent integer CHECK (max_concurrent >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
  }
}
