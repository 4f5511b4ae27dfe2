import type { ServerCallContext } from '@a2a-js/sdk/server';

/** `ServerCallContext.state` key: the id of the task the call is creating. */
const NEW_TASK_ID = 'aether.a2a.new-task-id';

/**
 * Tells the task store that `taskId` is being created by this call, so no store holds it yet. The
 * SDK loads the task before saving its first event; with the hint a database-backed store answers
 * that load from memory instead of a database round trip in front of the first event.
 */
export function markNewTask(context: ServerCallContext, taskId: string): void {
  context.state.set(NEW_TASK_ID, taskId);
}

/** Whether `taskId` is the task this call creates (see `markNewTask`). */
export function isNewTask(context: ServerCallContext | undefined, taskId: string): boolean {
  return context?.state.get(NEW_TASK_ID) === taskId;
}
