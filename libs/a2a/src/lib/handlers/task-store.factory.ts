import { InMemoryTaskStore, type TaskStore } from '@a2a-js/sdk/server';
import type { AgentName } from '@aether/core';

/**
 * Makes the A2A task store of each local agent. The default keeps tasks in memory; a persistent
 * store replaces it by providing this class (e.g. `{ provide: TaskStoreFactory, useClass: … }`) in
 * a global module of the host app.
 */
export abstract class TaskStoreFactory {
  abstract create(agent: AgentName): TaskStore;
}

export class InMemoryTaskStoreFactory extends TaskStoreFactory {
  create(): TaskStore {
    return new InMemoryTaskStore();
  }
}
