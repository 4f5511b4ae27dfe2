import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Conversation memory: conversations and their messages. Unqualified names: the connection's search_path picks the schema. */
export class CreateConversations1795900000000 implements MigrationInterface {
  name = 'CreateConversations1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE conversations (
        id text PRIMARY KEY,
        user_id text NOT NULL,
        title text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_conversations_user_updated ON conversations (user_id, updated_at)`);
    await queryRunner.query(`
      CREATE TABLE conversation_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('user', 'assistant')),
        content text NOT NULL,
        agents jsonb NOT NULL DEFAULT '[]'::jsonb,
        model text,
        prompt_tokens integer,
        completion_tokens integer,
        status text NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'failed')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_conversation_messages_conversation_created ON conversation_messages (conversation_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE conversation_messages`);
    await queryRunner.query(`DROP TABLE conversations`);
  }
}
