import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a proposal would replace in Home Assistant when it was proposed (its diff is shown before approval). */
export class ProposalReplaces1795900001602 implements MigrationInterface {
  name = 'ProposalReplaces1795900001602';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proposals ADD COLUMN replaces jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE proposals DROP COLUMN replaces`);
  }
}
