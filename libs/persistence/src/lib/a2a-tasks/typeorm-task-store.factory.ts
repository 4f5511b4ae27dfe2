import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { TaskStore } from '@a2a-js/sdk/server';
import { BoundedInMemoryTaskStore, DEFAULT_TASK_RETENTION_MS, inMemoryTaskBounds, TaskStoreFactory, type BoundedInMemoryTaskStoreOptions } from '@aether/a2a';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { agentDescriptor, type AgentName } from '@aether/core';
import { DataSource } from 'typeorm';
import { deleteExpiredTasks } from './task-retention';
import { TypeOrmTaskStore } from './typeorm-task.store';

/** How often finished tasks past their retention are removed. */
export const TASK_RETENTION_SWEEP_MS = 10 * 60_000;
/** The first sweep, soon after start, so a restarted service clears its backlog without waiting a full period. */
const FIRST_SWEEP_MS = 60_000;

/**
 * Gives every local agent whose row of the agent table says `database` a database-backed A2A task
 * store, so `GetTask` answers after a restart and replicas share tasks; the others keep their tasks
 * in memory, in the monolith as in their own service (same data in every mode). Unsaved snapshots
 * of running tasks are flushed before the app's DataSource closes.
 *
 * It also owns retention: a minute after start and every `TASK_RETENTION_SWEEP_MS` after that
 * (unref'd timers, stopped at shutdown), finished tasks older than `AETHER_TASK_RETENTION_HOURS` leave the database (the rows of this
 * process's agents) and the in-memory stores.
 */
@Injectable()
export class TypeOrmTaskStoreFactory extends TaskStoreFactory implements BeforeApplicationShutdown {
  private readonly logger = new Logger('TaskRetention');
  private readonly stores: TypeOrmTaskStore[] = [];
  private readonly memoryStores: BoundedInMemoryTaskStore[] = [];
  private readonly maxAgeMs: number;
  private readonly memoryBounds: BoundedInMemoryTaskStoreOptions;
  private sweepTimer?: NodeJS.Timeout;
  private firstSweep?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(AETHER_CONFIG) config?: AetherConfig,
  ) {
    super();
    this.memoryBounds = config ? inMemoryTaskBounds(config.taskRetention) : {};
    this.maxAgeMs = this.memoryBounds.maxFinishedAgeMs ?? DEFAULT_TASK_RETENTION_MS;
  }

  create(agent: AgentName): TaskStore {
    this.startSweeping();
    if (!agentDescriptor(agent).database) {
      const store = new BoundedInMemoryTaskStore(this.memoryBounds);
      this.memoryStores.push(store);
      return store;
    }
    // Neither the stream's first event nor its last waits on the database: a running task is
    // written behind (a task that ends within the write-behind delay, as most do, is written once,
    // at its end, right behind its last event); a task left waiting for input is written first.
    const store = new TypeOrmTaskStore(this.dataSource, agent, { firstSave: 'deferred', finalSave: 'background' });
    this.stores.push(store);
    return store;
  }

  /** Removes finished tasks past retention from every store made here; returns how many went. */
  sweep(now = new Date()): Promise<number> {
    // One sweep at a time: a slow one is not overtaken by the next tick.
    this.sweeping ??= this.sweepOnce(new Date(now.getTime() - this.maxAgeMs)).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.firstSweep);
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping?.catch(() => undefined);
    await Promise.all(this.stores.map((store) => store.flush()));
  }

  private startSweeping(): void {
    if (this.sweepTimer) return;
    const sweep = () => {
      this.sweep().catch((error: unknown) => this.logger.warn(`Could not remove expired A2A tasks: ${String(error)}`));
    };
    this.firstSweep = setTimeout(sweep, FIRST_SWEEP_MS).unref();
    this.sweepTimer = setInterval(sweep, TASK_RETENTION_SWEEP_MS).unref();
  }

  private async sweepOnce(cutoff: Date): Promise<number> {
    let removed = this.memoryStores.reduce((sum, store) => sum + store.deleteOlderThan(cutoff), 0);
    if (this.stores.length > 0) {
      removed += await deleteExpiredTasks(this.dataSource, { agents: this.stores.map((store) => store.agent), olderThan: cutoff });
    }
    if (removed > 0) this.logger.log(`Removed ${removed} finished A2A task(s) older than ${cutoff.toISOString()}`);
    return removed;
  }
}
