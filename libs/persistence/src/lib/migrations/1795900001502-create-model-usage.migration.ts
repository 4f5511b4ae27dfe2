import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The provider's token usage of every model call, per caller, conversation, agent and model. */
export class CreateModelUsage1795900001502 implements MigrationInterface {
  name = 'CreateModelUsage1795900001502';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE model_usage (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        conversation_id text NOT NULL,
        agent text NOT NULL,
        model text NOT NULL,
        prompt_tokens integer NOT NULL CHECK (prompt_tokens >= 0),
        completion_tokens integer NOT NULL CHECK (completion_tokens >= 0),
        reasoning_tokens integer NOT NULL CHECK (reasoning_tokens >= 0),
        cached_tokens integer NOT NULL CHECK (cached_tokens >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Every read is one caller's usage over a time range.
    await queryRunner.query(`CREATE INDEX model_usage_user_created ON model_usage (user_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE model_usage`);
  }
}
