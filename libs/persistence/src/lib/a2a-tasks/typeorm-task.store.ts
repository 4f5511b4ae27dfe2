import { Logger } from '@nestjs/common';
import { Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import { resolveUserScope, type TaskStore } from '@a2a-js/sdk/server';
import { copyTask, decodeTaskPageToken as decodePageToken, encodeTaskPageToken as encodePageToken, isNewTask } from '@aether/a2a';
import type { DataSource } from 'typeorm';

type CallContext = Parameters<TaskStore['save']>[1];
type ListRequest = Parameters<TaskStore['list']>[0];
type ListResponse = Awaited<ReturnType<TaskStore['list']>>;

/** States that end the task: nothing is saved after them. */
const FINAL_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);

/** States in which the task waits, possibly for days, for a caller to come back: written before `save` resolves, always. */
const INTERRUPTED_STATES: ReadonlySet<TaskState> = new Set([TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED]);

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export interface TypeOrmTaskStoreOptions {
  /** Minimum time between two background writes of one running task (ms). */
  writeBehindMs?: number;
  /** Tasks kept in memory at most; clean (persisted) ones beyond this are dropped, oldest first. */
  maxCachedTasks?: number;
  /**
   * `durable` (default): the first save of a task resolves once its row is written.
   * `background`: the first save starts that write at once and resolves without waiting for it,
   * so a stream's first event (and its tokens) never waits on the database.
   * `deferred`: the first snapshot is written behind like any running one (after `writeBehindMs`),
   * so a task that ends sooner — a catalog query, most tasks — costs one write, at its end, instead
   * of two. Terminal and interrupted states stay as `finalSave` and `INTERRUPTED_STATES` say either way.
   */
  firstSave?: 'durable' | 'background' | 'deferred';
  /**
   * `durable` (default): a final state (completed, failed, canceled, rejected) is written before
   * `save` resolves.
   * `background`: its write starts at once and `save` resolves without waiting, so the caller gets
   * the task's last event without a database round trip on its path. Until the row is written this
   * process answers from memory; a graceful shutdown (`flush`) writes it. Only a crash in those few
   * milliseconds loses it, leaving the last written-behind `working` snapshot — as a crash while
   * the task ran always does.
   */
  finalSave?: 'durable' | 'background';
}

interface Scope {
  tenant: string;
  owner: string;
}

interface CachedTask {
  task: Task;
  scope: Scope;
  /** Bumped by every save; `persisted` is the version last written to the database. */
  version: number;
  persisted: number;
  writing?: Promise<void>;
  timer?: NodeJS.Timeout;
  /** Set when a write failed: the entry left the cache, and whoever waits on it gets this error. */
  failure?: { error: unknown };
}

interface TaskRow {
  task: unknown;
  sort_ts: string;
  id: string;
}

/**
 * The A2A SDK's `TaskStore` over TypeORM, for one agent. The SDK saves the task on every event
 * (each streamed token is an artifact update), so running tasks are write-behind: the latest
 * snapshot lives in memory, and at most one write per task is in flight, no more often than
 * `writeBehindMs`, always writing the newest snapshot (intermediate ones are coalesced away). An
 * interrupted state (input or auth required) is written before `save` resolves, so a restarted
 * process or another replica reads the task that waits; so are the first save and a final state,
 * unless `firstSave: 'background' | 'deferred'` / `finalSave: 'background'` let the stream's first
 * and last events go out without waiting on the database (the services defer the first and write
 * the last in the background).
 * Tasks are scoped like the SDK's `InMemoryTaskStore`: by tenant and by the caller's owner scope.
 */
export class TypeOrmTaskStore implements TaskStore {
  private readonly logger = new Logger('TaskStore');
  private readonly cache = new Map<string, CachedTask>();
  private readonly writeBehindMs: number;
  private readonly maxCachedTasks: number;
  private readonly firstSave: NonNullable<TypeOrmTaskStoreOptions['firstSave']>;
  private readonly finalSaveDurable: boolean;
  /** Database writes issued (for metrics and tests). */
  writes = 0;

  constructor(
    private readonly dataSource: DataSource,
    readonly agent: string,
    options: TypeOrmTaskStoreOptions = {},
  ) {
    this.writeBehindMs = options.writeBehindMs ?? 250;
    this.maxCachedTasks = options.maxCachedTasks ?? 10_000;
    this.firstSave = options.firstSave ?? 'durable';
    this.finalSaveDurable = (options.finalSave ?? 'durable') === 'durable';
  }

  async save(task: Task, context: CallContext): Promise<void> {
    const scope = scopeOf(context);
    const key = cacheKey(scope, task.id);
    let entry = this.cache.get(key);
    const first = entry === undefined;
    if (!entry) {
      entry = { task, scope, version: 0, persisted: 0 };
      this.cache.set(key, entry);
    }
    entry.task = copyTask(task);
    entry.version += 1;

    const state = entry.task.status?.state;
    const final = state !== undefined && FINAL_STATES.has(state);
    const interrupted = state !== undefined && INTERRUPTED_STATES.has(state);
    if (interrupted || (final && this.finalSaveDurable) || (first && this.firstSave === 'durable')) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      await this.flushEntry(key, entry);
      return;
    }
    if (final || (first && this.firstSave === 'background')) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      this.writeInBackground(key, entry);
    } else this.scheduleWrite(key, entry);
  }

  async load(taskId: string, context: CallContext): Promise<Task | undefined> {
    const scope = scopeOf(context);
    const cached = this.cache.get(cacheKey(scope, taskId));
    if (cached) return copyTask(cached.task);
    // The SDK loads a task it is about to create: nothing to read yet.
    if (isNewTask(context, taskId)) return undefined;
    const rows: { task: unknown }[] = await this.dataSource.query(
      `SELECT task FROM a2a_tasks WHERE agent = $1 AND id = $2 AND tenant = $3 AND owner = $4`,
      [this.agent, taskId, scope.tenant, scope.owner],
    );
    return rows.length > 0 ? decodeTask(rows[0].task) : undefined;
  }

  async list(params: ListRequest, context: CallContext): Promise<ListResponse> {
    const scope = scopeOf(context);
    // Listing reads the database: bring this caller's running tasks up to date first. A task whose
    // write fails is that task's problem (already logged and dropped): the listing goes on without it.
    await Promise.allSettled(
      [...this.cache.entries()]
        .filter(([, entry]) => entry.scope.tenant === scope.tenant && entry.scope.owner === scope.owner)
        .map(([key, entry]) => this.flushEntry(key, entry)),
    );

    const pageSize = Math.min(Math.max(params.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const where = ['agent = $1', 'tenant = $2', 'owner = $3'];
    const values: unknown[] = [this.agent, scope.tenant, scope.owner];
    if (params.contextId) {
      values.push(params.contextId);
      where.push(`context_id = $${values.length}`);
    }
    if (params.status !== undefined && params.status !== TaskState.TASK_STATE_UNSPECIFIED) {
      values.push(taskStateToJSON(params.status));
      where.push(`state = $${values.length}`);
    }
    if (params.statusTimestampAfter) {
      values.push(new Date(params.statusTimestampAfter).toISOString());
      where.push(`(task->'status'->>'timestamp')::timestamptz > $${values.length}::timestamptz`);
    }
    const sortTs = `coalesce(task->'status'->>'timestamp', '')`;
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM a2a_tasks WHERE ${where.join(' AND ')}`,
      values,
    );
    if (params.pageToken) {
      const cursor = decodePageToken(params.pageToken);
      values.push(cursor.timestamp, cursor.id);
      where.push(`(${sortTs}, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(pageSize + 1);
    const rows: TaskRow[] = await this.dataSource.query(
      `SELECT task, ${sortTs} AS sort_ts, id FROM a2a_tasks WHERE ${where.join(' AND ')}
       ORDER BY ${sortTs} DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, pageSize);
    const tasks = page.map((row) => {
      const task = decodeTask(row.task);
      if (!params.includeArtifacts) task.artifacts = [];
      return task;
    });
    const last = page[page.length - 1];
    const nextPageToken = rows.length > pageSize && last ? encodePageToken(last.sort_ts, last.id) : '';
    return { tasks, nextPageToken, pageSize, totalSize: total };
  }

  /** Writes every task that has unsaved changes (on shutdown, so nothing in memory is lost). */
  async flush(): Promise<void> {
    await Promise.allSettled(
      [...this.cache.entries()].map(([key, entry]) => {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        return this.flushEntry(key, entry);
      }),
    );
  }

  /** Tasks currently held in memory. */
  get cachedTasks(): number {
    return this.cache.size;
  }

  /** Background write of a running task, at most one per `writeBehindMs`, of whatever is newest then. */
  private scheduleWrite(key: string, entry: CachedTask): void {
    if (entry.timer || entry.writing) return; // the write in flight reschedules when it ends
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (entry.writing || entry.persisted >= entry.version) return;
      this.writeInBackground(key, entry);
    }, this.writeBehindMs);
    entry.timer.unref();
  }

  /** Writes the newest snapshot now without anyone waiting for it; a failure is logged in writeLatest. */
  private writeInBackground(key: string, entry: CachedTask): void {
    if (entry.writing) return; // it reschedules when it ends
    this.writeLatest(key, entry).catch(() => undefined);
  }

  /** Resolves once the snapshot that is newest now (or a later one) is in the database. */
  private async flushEntry(key: string, entry: CachedTask): Promise<void> {
    const target = entry.version;
    while (entry.persisted < target) {
      if (entry.failure) throw entry.failure.error;
      if (entry.writing) {
        // One write in flight per task: wait for it; its failure is reported above.
        await entry.writing.catch(() => undefined);
        continue;
      }
      await this.writeLatest(key, entry);
    }
    // Nothing newer to write behind: a timer set meanwhile is moot, and the task may leave memory.
    if (entry.persisted >= entry.version && entry.timer) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      this.evict(key, entry);
    }
  }

  private writeLatest(key: string, entry: CachedTask): Promise<void> {
    const version = entry.version;
    const writing = this.write(entry.task, entry.scope)
      .then(
        () => {
          entry.persisted = Math.max(entry.persisted, version);
        },
        (error: unknown) => {
          this.dropFailed(key, entry, error);
          throw error;
        },
      )
      .finally(() => {
        entry.writing = undefined;
        if (entry.failure) return;
        // Snapshots saved while this write was in flight are written behind it (a final one at once).
        if (entry.persisted < entry.version) {
          if (isSettled(entry.task)) this.writeInBackground(key, entry);
          else this.scheduleWrite(key, entry);
        }
        this.evict(key, entry);
      });
    entry.writing = writing;
    return writing;
  }

  /**
   * A snapshot the database refused (a value it cannot store, or the database down) must not stay in
   * memory: every later flush (each `list()`) would retry it and fail for tasks that are fine. The
   * task's own caller gets the error; its next save starts afresh from a new entry.
   */
  private dropFailed(key: string, entry: CachedTask, error: unknown): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.failure = { error };
    if (this.cache.get(key) === entry) this.cache.delete(key);
    this.logger.warn(`Could not persist task ${entry.task.id} of ${this.agent}, dropped from memory: ${String(error)}`);
  }

  /** Drops a task from memory once its final state is in the database; bounds the cache. */
  private evict(key: string, entry: CachedTask): void {
    const clean = (e: CachedTask) => e.persisted >= e.version && !e.writing && !e.timer;
    if (clean(entry) && isSettled(entry.task)) this.cache.delete(key);
    if (this.cache.size <= this.maxCachedTasks) return;
    for (const [otherKey, other] of this.cache) {
      if (this.cache.size <= this.maxCachedTasks) break;
      if (clean(other)) this.cache.delete(otherKey);
    }
  }

  private async write(task: Task, scope: Scope): Promise<void> {
    this.writes += 1;
    const state = task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
    await this.dataSource.query(
      `INSERT INTO a2a_tasks AS t (agent, id, tenant, owner, context_id, state, task, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now(), now())
       ON CONFLICT (agent, id) DO UPDATE
         SET tenant = excluded.tenant, owner = excluded.owner, context_id = excluded.context_id,
             state = excluded.state, task = excluded.task, updated_at = now()`,
      [this.agent, task.id, scope.tenant, scope.owner, task.contextId, taskStateToJSON(state), JSON.stringify(Task.toJSON(task))],
    );
  }
}

function scopeOf(context: CallContext): Scope {
  return { tenant: context?.tenant ?? '', owner: resolveUserScope(context) };
}

function cacheKey(scope: Scope, taskId: string): string {
  return `${scope.tenant}\u0000${scope.owner}\u0000${taskId}`;
}

/** A state nothing more is saved after (until a new request): once written, the task may leave memory. */
function isSettled(task: Task): boolean {
  return task.status !== undefined && (FINAL_STATES.has(task.status.state) || INTERRUPTED_STATES.has(task.status.state));
}

function decodeTask(json: unknown): Task {
  return Task.fromJSON((typeof json === 'string' ? JSON.parse(json) : json) as Parameters<typeof Task.fromJSON>[0]);
}
