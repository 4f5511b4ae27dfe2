import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets task retention find an agent's finished tasks oldest first without scanning the table: a
 * partial index holds only the terminal states, so open tasks cost it nothing.
 */
export class IndexFinishedA2aTasks1795900001401 implements MigrationInterface {
  name = 'IndexFinishedA2aTasks1795900001401';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX idx_a2a_tasks_finished_updated ON a2a_tasks (agent, updated_at)
       WHERE state IN ('TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_a2a_tasks_finished_updated`);
  }
}
