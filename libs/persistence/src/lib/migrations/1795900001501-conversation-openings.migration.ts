import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `conversations.opening`: a hash of a conversation's first exchange (first user message and first
 * answer), so a client that resends the whole history without a conversation id (Open WebUI) finds
 * its own conversation again — and only its own.
 */
export class ConversationOpenings1795900001501 implements MigrationInterface {
  name = 'ConversationOpenings1795900001501';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE conversations ADD COLUMN opening text`);
    await queryRunner.query(`CREATE INDEX idx_conversations_user_opening ON conversations (user_id, opening) WHERE opening IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_conversations_user_opening`);
    await queryRunner.query(`ALTER TABLE conversations DROP COLUMN opening`);
  }
}
