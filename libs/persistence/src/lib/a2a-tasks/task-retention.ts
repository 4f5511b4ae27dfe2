import { taskStateToJSON } from '@a2a-js/sdk';
import { FINISHED_TASK_STATES } from '@aether/a2a';
import type { DataSource } from 'typeorm';

const FINISHED_STATE_NAMES = [...FINISHED_TASK_STATES].map((state) => taskStateToJSON(state));

export interface TaskRetentionOptions {
  /** Agents whose rows this process owns (in monolith every agent shares the table). */
  agents: readonly string[];
  /** Finished tasks last written before this are removed. */
  olderThan: Date;
  /** Rows per DELETE, so a large backlog never holds locks for long (default 500). */
  batchSize?: number;
}

/**
 * Deletes finished A2A tasks older than `olderThan`, in short batches (each its own statement, the
 * rows picked by the partial index `idx_a2a_tasks_finished_updated`; rows another process is
 * touching are skipped, not waited for). Open tasks (submitted, working, input-required,
 * auth-required) are never removed, whatever their age. Returns how many rows went.
 */
export async function deleteExpiredTasks(dataSource: DataSource, options: TaskRetentionOptions): Promise<number> {
  if (options.agents.length === 0) return 0;
  const batchSize = options.batchSize ?? 500;
  let total = 0;
  for (;;) {
    // Wrapped in a SELECT: TypeORM reshapes the result of a bare DELETE differently on pg and PGlite.
    const [{ deleted }]: { deleted: number }[] = await dataSource.query(
      `WITH doomed AS (
         SELECT agent, id FROM a2a_tasks
         WHERE agent = ANY($1::text[]) AND state = ANY($2::text[]) AND updated_at < $3
         ORDER BY agent, updated_at
         LIMIT $4
         FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM a2a_tasks t USING doomed d WHERE t.agent = d.agent AND t.id = d.id RETURNING 1
       )
       SELECT count(*)::int AS deleted FROM gone`,
      [options.agents, FINISHED_STATE_NAMES, options.olderThan.toISOString(), batchSize],
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
