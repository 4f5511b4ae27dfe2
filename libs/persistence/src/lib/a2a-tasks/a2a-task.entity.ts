import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The latest snapshot of one A2A task of one agent, as the SDK's `Task.toJSON` renders it (proto
 * JSON: enums as names, bytes as base64), so it round-trips exactly through `Task.fromJSON`.
 * Keyed by (agent, id): in monolith every agent's tasks share the table.
 */
@Entity({ name: 'a2a_tasks' })
@Index('idx_a2a_tasks_agent_context', ['agent', 'contextId'])
export class A2aTaskEntity {
  @PrimaryColumn({ type: 'text' })
  agent!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The SDK's tenant of the call (`''` when none). */
  @Column({ type: 'text', default: '' })
  tenant!: string;

  /** The SDK's owner scope of the caller (`resolveUserScope`), so a caller only sees its own tasks. */
  @Column({ type: 'text' })
  owner!: string;

  @Column({ name: 'context_id', type: 'text' })
  contextId!: string;

  /** `TASK_STATE_*` name of the task's status. */
  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'jsonb' })
  task!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
