import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Proposals: every change to Home Assistant, from draft through approval to deploy and rollback. */
export class CreateProposals1795900001601 implements MigrationInterface {
  name = 'CreateProposals1795900001601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        conversation_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('entity_command', 'automation', 'script', 'scene', 'helper', 'dashboard')),
        status text NOT NULL CHECK (status IN ('proposed', 'approved', 'deployed', 'rolled_back', 'rejected', 'failed')),
        version integer NOT NULL CHECK (version >= 1),
        revises uuid REFERENCES proposals (id),
        title text NOT NULL,
        description text NOT NULL,
        payload jsonb NOT NULL,
        ha_id text NOT NULL,
        risk jsonb NOT NULL,
        approved_by text,
        approved_at timestamptz,
        snapshot jsonb,
        deploy_result jsonb,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Reads are one caller's proposals (newest first), and the pending ones of a conversation.
    await queryRunner.query(`CREATE INDEX proposals_user_created ON proposals (user_id, created_at)`);
    await queryRunner.query(`CREATE INDEX proposals_user_conversation_status ON proposals (user_id, conversation_id, status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE proposals`);
  }
}
