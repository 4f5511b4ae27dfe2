import type { TaskStore } from '@a2a-js/sdk/server';
import type { AetherConfig } from '@aether/config';
import type { AgentName } from '@aether/core';
import { BoundedInMemoryTaskStore, type BoundedInMemoryTaskStoreOptions } from './bounded-in-memory-task.store';

/**
 * Makes the A2A task store of each local agent. The default keeps tasks in memory; a persistent
 * store replaces it by providing this class (e.g. `{ provide: TaskStoreFactory, useClass: … }`) in
 * a global module of the host app.
 */
export abstract class TaskStoreFactory {
  abstract create(agent: AgentName): TaskStore;
}

/** Tasks in memory, finished ones bounded by age and count (`BoundedInMemoryTaskStore`). */
export class InMemoryTaskStoreFactory extends TaskStoreFactory {
  constructor(private readonly options: BoundedInMemoryTaskStoreOptions = {}) {
    super();
  }

  create(): TaskStore {
    return new BoundedInMemoryTaskStore(this.options);
  }
}

/** The bounds of in-memory task stores, from the configuration (`AETHER_TASK_RETENTION_HOURS`, `AETHER_TASK_MEMORY_MB`). */
export function inMemoryTaskBounds(retention: AetherConfig['taskRetention']): BoundedInMemoryTaskStoreOptions {
  return { maxFinishedAgeMs: retention.maxAgeHours * 3_600_000, maxFinishedBytes: retention.maxMemoryMb * 1024 * 1024 };
}
