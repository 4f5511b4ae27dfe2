import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { InMemoryTaskStore, type TaskStore } from '@a2a-js/sdk/server';
import { TaskStoreFactory } from '@aether/a2a';
import { agentDescriptor, type AgentName } from '@aether/core';
import { DataSource } from 'typeorm';
import { TypeOrmTaskStore } from './typeorm-task.store';

/**
 * Gives every local agent whose row of the agent table says `database` a database-backed A2A task
 * store, so `GetTask` answers after a restart and replicas share tasks; the others keep their tasks
 * in memory, in the monolith as in their own service (same data in every mode). Unsaved snapshots
 * of running tasks are flushed before the app's DataSource closes.
 */
@Injectable()
export class TypeOrmTaskStoreFactory extends TaskStoreFactory implements BeforeApplicationShutdown {
  private readonly stores: TypeOrmTaskStore[] = [];

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  create(agent: AgentName): TaskStore {
    if (!agentDescriptor(agent).database) return new InMemoryTaskStore();
    // The stream's first event must not wait on the database (the row follows it at once);
    // terminal states are still written before the stream ends.
    const store = new TypeOrmTaskStore(this.dataSource, agent, { firstSave: 'background' });
    this.stores.push(store);
    return store;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.stores.map((store) => store.flush()));
  }
}
