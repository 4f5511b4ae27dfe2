import { TaskState, type Task } from '@a2a-js/sdk';
import { resolveUserScope, type TaskStore } from '@a2a-js/sdk/server';
import { copyTask } from './task-snapshot';
import { decodeTaskPageToken as decodePageToken, encodeTaskPageToken as encodePageToken } from './task-page-token';

type CallContext = Parameters<TaskStore['save']>[1];
type ListRequest = Parameters<TaskStore['list']>[0];
type ListResponse = Awaited<ReturnType<TaskStore['list']>>;

/** States a task never leaves on its own: the only ones retention ever removes. */
export const FINISHED_TASK_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);

/** Default age after which finished tasks are removed (`AETHER_TASK_RETENTION_HOURS`). */
export const DEFAULT_TASK_RETENTION_MS = 72 * 3_600_000;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export interface BoundedInMemoryTaskStoreOptions {
  /** Finished tasks kept at most; beyond it the ones that finished first are dropped (default 10 000). */
  maxFinishedTasks?: number;
  /** Finished tasks older than this (ms since they finished) are dropped on the next save (default 72 h). */
  maxFinishedAgeMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  task: Task;
  tenant: string;
  owner: string;
  /** When the task reached a finished state (ms), unset while it is open. */
  finishedAt?: number;
}

/**
 * The task store of agents that keep their tasks in memory: the SDK's `InMemoryTaskStore`
 * semantics (scoped by tenant and caller, same listing and page tokens) with bounded growth.
 * Hand-written because the SDK's store can never forget a task: here finished tasks are dropped by
 * age (on every save, and by `deleteOlderThan`) and by count, oldest first; open tasks (submitted,
 * working, input-required) are always kept, whatever their age. Tasks go in and out as `copyTask`
 * copies, not deep clones: the SDK saves the task on every streamed token.
 */
export class BoundedInMemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, Entry>();
  /** Keys of finished tasks in the order they finished (a Map keeps insertion order). */
  private readonly finished = new Map<string, number>();
  private readonly maxFinishedTasks: number;
  private readonly maxFinishedAgeMs: number;
  private readonly now: () => number;

  constructor(options: BoundedInMemoryTaskStoreOptions = {}) {
    this.maxFinishedTasks = options.maxFinishedTasks ?? 10_000;
    this.maxFinishedAgeMs = options.maxFinishedAgeMs ?? DEFAULT_TASK_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  async save(task: Task, context: CallContext): Promise<void> {
    const tenant = context?.tenant ?? '';
    const owner = resolveUserScope(context);
    const key = keyOf(tenant, owner, task.id);
    const entry: Entry = { task: copyTask(task), tenant, owner };
    if (task.status && FINISHED_TASK_STATES.has(task.status.state)) {
      // A finished task saved again keeps its place (and age) in the finish order.
      entry.finishedAt = this.finished.get(key) ?? this.now();
      if (!this.finished.has(key)) this.finished.set(key, entry.finishedAt);
    } else {
      this.finished.delete(key);
    }
    this.tasks.set(key, entry);
    this.deleteOlderThan(new Date(this.now() - this.maxFinishedAgeMs));
    for (const [oldest] of this.finished) {
      if (this.finished.size <= this.maxFinishedTasks) break;
      this.forget(oldest);
    }
  }

  async load(taskId: string, context: CallContext): Promise<Task | undefined> {
    const entry = this.tasks.get(keyOf(context?.tenant ?? '', resolveUserScope(context), taskId));
    return entry ? copyTask(entry.task) : undefined;
  }

  async list(params: ListRequest, context: CallContext): Promise<ListResponse> {
    const tenant = context?.tenant ?? '';
    const owner = resolveUserScope(context);
    let tasks = [...this.tasks.values()].filter((e) => e.tenant === tenant && e.owner === owner).map((e) => e.task);
    if (params.contextId) tasks = tasks.filter((task) => task.contextId === params.contextId);
    if (params.status !== undefined && params.status !== TaskState.TASK_STATE_UNSPECIFIED) {
      tasks = tasks.filter((task) => task.status?.state === params.status);
    }
    if (params.statusTimestampAfter) {
      const after = new Date(params.statusTimestampAfter).getTime();
      tasks = tasks.filter((task) => task.status?.timestamp && new Date(task.status.timestamp).getTime() > after);
    }
    const stamp = (task: Task) => task.status?.timestamp ?? '';
    tasks.sort((a, b) => stamp(b).localeCompare(stamp(a)) || b.id.localeCompare(a.id));
    const totalSize = tasks.length;
    if (params.pageToken) {
      const cursor = decodePageToken(params.pageToken);
      const index = tasks.findIndex((task) => stamp(task) === cursor.timestamp && task.id === cursor.id);
      tasks = index >= 0 ? tasks.slice(index + 1) : [];
    }
    const pageSize = Math.min(Math.max(params.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const page = tasks.slice(0, pageSize);
    const last = page.at(-1);
    return {
      tasks: page.map((task) => {
        const copy = copyTask(task);
        if (!params.includeArtifacts) copy.artifacts = [];
        return copy;
      }),
      nextPageToken: last && tasks.length > page.length ? encodePageToken(stamp(last), last.id) : '',
      pageSize,
      totalSize,
    };
  }

  /** Drops finished tasks that finished before `cutoff`; returns how many went. */
  deleteOlderThan(cutoff: Date): number {
    let deleted = 0;
    for (const [key, finishedAt] of this.finished) {
      if (finishedAt >= cutoff.getTime()) break; // finish order: the rest are newer
      this.forget(key);
      deleted += 1;
    }
    return deleted;
  }

  /** Tasks held, open and finished. */
  get size(): number {
    return this.tasks.size;
  }

  private forget(key: string): void {
    this.finished.delete(key);
    this.tasks.delete(key);
  }
}

function keyOf(tenant: string, owner: string, taskId: string): string {
  return `${tenant}\u0000${owner}\u0000${taskId}`;
}
