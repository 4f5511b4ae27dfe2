import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One turn of a conversation. The foreign key to `conversations` (ON DELETE CASCADE) lives in the
 * migration; no TypeORM relation is declared, so the two entity files do not import each other
 * (circular imports of decorated classes break under native ESM).
 */
@Entity({ name: 'conversation_messages' })
@Index('idx_conversation_messages_conversation_created', ['conversationId', 'createdAt'])
export class ConversationMessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ type: 'text' })
  role!: 'user' | 'assistant';

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  agents!: string[];

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ name: 'prompt_tokens', type: 'integer', nullable: true })
  promptTokens!: number | null;

  @Column({ name: 'completion_tokens', type: 'integer', nullable: true })
  completionTokens!: number | null;

  @Column({ type: 'text', default: 'complete' })
  status!: 'complete' | 'failed';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Storage order, which breaks ties between equal `created_at` (a coarse clock). */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  seq!: string;
}
