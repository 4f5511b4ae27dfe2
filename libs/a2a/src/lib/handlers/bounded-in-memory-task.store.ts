import { Task, TaskState } from '@a2a-js/sdk';
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
/** Default size of the finished tasks one store keeps in memory (`AETHER_TASK_MEMORY_MB`). */
export const DEFAULT_FINISHED_TASK_BYTES = 8 * 1024 * 1024;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export interface BoundedInMemoryTaskStoreOptions {
  /** Finished tasks kept at most; beyond it the ones that finished first are dropped (default 10 000). */
  maxFinishedTasks?: number;
  /** Finished tasks older than this (ms since they finished) are dropped on the next save (default 72 h). */
  maxFinishedAgeMs?: number;
  /**
   * Size of the finished tasks kept, as their JSON (default 8 MB); beyond it the ones that finished
   * first are dropped. A task holds its whole answer and every event of its run, so a count alone
   * let a busy agent keep hundreds of MB (measured: +37 MB per 800 chats on the orchestrator).
   */
  maxFinishedBytes?: number;
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

interface Finished {
  at: number;
  /** Size of the task as JSON when it finished, the measure of `maxFinishedBytes`. */
  bytes: number;
}

/**
 * The task store of agents that keep their tasks in memory: the SDK's `InMemoryTaskStore`
 * semantics (scoped by tenant and caller, same listing and page tokens) with bounded growth.
 * Hand-written because the SDK's store can never forget a task: here finished tasks are dropped by
 * age (on every save, and by `deleteOlderThan`), by count and by size, oldest first; open tasks (submitted,
 * working, input-required) are always kept, whatever their age. Tasks go in and out as `copyTask`
 * copies, not deep clones: the SDK saves the task on every streamed token.
 */
export class BoundedInMemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, Entry>();
  /** Keys of finished tasks in the order they finished (a Map keeps insertion order). */
  private readonly finished = new Map<string, Finished>();
  private finishedBytes = 0;
  private readonly maxFinishedTasks: number;
  private readonly maxFinishedAgeMs: number;
  private readonly maxFinishedBytes: number;
  private readonly now: () => number;

  constructor(options: BoundedInMemoryTaskStoreOptions = {}) {
    this.maxFinishedTasks = options.maxFinishedTasks ?? 10_000;
    this.maxFinishedAgeMs = options.maxFinishedAgeMs ?? DEFAULT_TASK_RETENTION_MS;
    this.maxFinishedBytes = options.maxFinishedBytes ?? DEFAULT_FINISHED_TASK_BYTES;
    this.now = options.now ?? Date.now;
  }

  async save(task: Task, context: CallContext): Promise<void> {
    const tenant = context?.tenant ?? '';
    const owner = resolveUserScope(context);
    const key = keyOf(tenant, owner, task.id);
    const entry: Entry = { task: copyTask(task), tenant, owner };
    const earlier = this.finished.get(key);
    if (earlier) this.finishedBytes -= earlier.bytes;
    if (task.status && FINISHED_TASK_STATES.has(task.status.state)) {
      // Measured once per finish (not per streamed token); a finished task saved again keeps its
      // place (and age) in the finish order.
      const finished = { at: earlier?.at ?? this.now(), bytes: jsonSize(task) };
      entry.finishedAt = finished.at;
      this.finished.set(key, finished);
      this.finishedBytes += finished.bytes;
    } else {
      this.finished.delete(key);
    }
    this.tasks.set(key, entry);
    this.deleteOlderThan(new Date(this.now() - this.maxFinishedAgeMs));
    for (const [oldest] of this.finished) {
      // The task just saved stays even when it alone is over the budget: its caller may still read it.
      if ((this.finished.size <= this.maxFinishedTasks && this.finishedBytes <= this.maxFinishedBytes) || oldest === key) break;
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
    for (const [key, { at }] of this.finished) {
      if (at >= cutoff.getTime()) break; // finish order: the rest are newer
      this.forget(key);
      deleted += 1;
    }
    return deleted;
  }

  /** Tasks held, open and finished. */
  get size(): number {
    return this.tasks.size;
  }

  /** Size of the finished tasks held, as JSON. */
  get finishedSize(): number {
    return this.finishedBytes;
  }

  private forget(key: string): void {
    this.finishedBytes -= this.finished.get(key)?.bytes ?? 0;
    this.finished.delete(key);
    this.tasks.delete(key);
  }
}

/** The task's size as JSON (UTF-16 code units: a close, cheap stand-in for bytes). */
function jsonSize(task: Task): number {
  return JSON.stringify(Task.toJSON(task)).length;
}

function keyOf(tenant: string, owner: string, taskId: string): string {
  return `${tenant}\u0000${owner}\u0000${taskId}`;
}
