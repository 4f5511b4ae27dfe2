import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Insights of the custom analysis (a sandboxed script) besides the energy, behavioral and diagnostic analysts'. */
export class InsightsCustomSpecialist1795900001802 implements MigrationInterface {
  name = 'InsightsCustomSpecialist1795900001802';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE insights DROP CONSTRAINT insights_specialist_check`);
    await queryRunner.query(`ALTER TABLE insights ADD CONSTRAINT insights_specialist_check CHECK (specialist IN ('behavioral', 'custom', 'diagnostic', 'energy'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM insights WHERE specialist = 'custom'`);
    await queryRunner.query(`ALTER TABLE insights DROP CONSTRAINT insights_specialist_check`);
    await queryRunner.query(`ALTER TABLE insights ADD CONSTRAINT insights_specialist_check CHECK (specialist IN ('behavioral', 'diagnostic', 'energy'))`);
  }
}
