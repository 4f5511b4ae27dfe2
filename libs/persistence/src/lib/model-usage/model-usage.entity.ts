import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One model call's token usage as the provider reported it (see `UsageEvent`). */
@Entity({ name: 'model_usage' })
@Index('model_usage_user_created', ['userId', 'createdAt'])
export class ModelUsageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The caller that owns the conversation (`CallerIdentity.userId`): usage is read per key. */
  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'conversation_id', type: 'text' })
  conversationId!: string;

  @Column({ type: 'text' })
  agent!: string;

  @Column({ type: 'text' })
  model!: string;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens!: number;

  @Column({ name: 'reasoning_tokens', type: 'integer' })
  reasoningTokens!: number;

  @Column({ name: 'cached_tokens', type: 'integer' })
  cachedTokens!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
