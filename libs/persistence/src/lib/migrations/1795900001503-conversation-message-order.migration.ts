import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `conversation_messages.seq`: the order messages were stored in. Two messages of one turn can get
 * the same `created_at` (PGlite's clock is coarse), and ordering by time alone then swapped a
 * question and its answer in the history the agents read.
 */
export class ConversationMessageOrder1795900001503 implements MigrationInterface {
  name = 'ConversationMessageOrder1795900001503';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Existing rows are numbered in their stored order, ties broken by the time they carry.
    await queryRunner.query(`ALTER TABLE conversation_messages ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE conversation_messages DROP COLUMN seq`);
  }
}
