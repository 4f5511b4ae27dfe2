import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A conversation; its id comes from the gateway (the client's `conversation_id` or one derived from it). */
@Entity({ name: 'conversations' })
@Index('idx_conversations_user_updated', ['userId', 'updatedAt'])
export class ConversationEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** Hash of the first exchange (see `ConversationStore.findByOpening`); null until it is known. */
  @Column({ type: 'text', nullable: true })
  opening!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
