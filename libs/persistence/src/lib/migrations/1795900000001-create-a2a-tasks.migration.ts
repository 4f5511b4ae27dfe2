import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The A2A task store, shared by every replica of a service (and by every agent in monolith). */
export class CreateA2aTasks1795900000001 implements MigrationInterface {
  name = 'CreateA2aTasks1795900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE a2a_tasks (
        agent text NOT NULL,
        id text NOT NULL,
        tenant text NOT NULL DEFAULT '',
        owner text NOT NULL,
        context_id text NOT NULL,
        state text NOT NULL,
        task jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agent, id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_a2a_tasks_agent_context ON a2a_tasks (agent, context_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE a2a_tasks`);
  }
}
