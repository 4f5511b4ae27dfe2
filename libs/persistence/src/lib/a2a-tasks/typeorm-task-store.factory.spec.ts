import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { AgentTaskExecutor, BoundedInMemoryTaskStore, buildAgentCard, encodeAgentRequest, serviceCallContext } from '@aether/a2a';
import type { Agent, AgentEvent } from '@aether/core';
import type { DataSource } from 'typeorm';
import { TypeOrmTaskStore } from './typeorm-task.store';
import { TypeOrmTaskStoreFactory } from './typeorm-task-store.factory';

/** A database that takes every query and never answers one. */
function hangingDatabase(): DataSource & { queries: string[] } {
  const queries: string[] = [];
  return { queries, query: (sql: string) => (queries.push(sql), new Promise(() => undefined)) } as unknown as DataSource & { queries: string[] };
}

class Deferred<T = void> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve));
}

describe('TypeOrmTaskStoreFactory', () => {
  it('stores the tasks of the agents the table calls durable, and keeps the others in memory in every mode', () => {
    const database = hangingDatabase();
    const factory = new TypeOrmTaskStoreFactory(database);
    expect(factory.create('librarian')).toBeInstanceOf(TypeOrmTaskStore);
    expect(factory.create('ds-analysts')).toBeInstanceOf(TypeOrmTaskStore);
    expect(factory.create('orchestrator')).toBeInstanceOf(BoundedInMemoryTaskStore);
    expect(factory.create('architect')).toBeInstanceOf(BoundedInMemoryTaskStore);
    expect(database.queries).toEqual([]);
  });
});

describe('TypeOrmTaskStoreFactory stores on the A2A token path', () => {
  it("lets the task, its tokens and its end stream while the database never answers; the task's one row is written behind its end", async () => {
    const database = hangingDatabase();
    const release = new Deferred();
    const agent: Agent = {
      name: 'librarian',
      async *run(): AsyncGenerator<AgentEvent> {
        yield { type: 'token', agent: 'librarian', content: 'Found ' };
        await release.promise;
        yield { type: 'token', agent: 'librarian', content: '3 lights' };
      },
    };
    const store = new TypeOrmTaskStoreFactory(database).create('librarian');
    const card = buildAgentCard({ name: 'librarian', description: 'test', skills: [] }, { url: 'http://127.0.0.1:1', requiresServiceToken: false });
    const handler = new DefaultRequestHandler(card, store, new AgentTaskExecutor(agent));
    const request = encodeAgentRequest({ message: 'lights?', history: [], context: { conversationId: 'c-1', userId: 'alice' } });
    const stream = handler.sendMessageStream(request, serviceCallContext())[Symbol.asyncIterator]();

    const seen: StreamResponse[] = [];
    for (let i = 0; i < 2; i++) seen.push((await stream.next()).value as StreamResponse);
    expect(seen.map((response) => response.payload?.$case)).toEqual(['task', 'artifactUpdate']);
    expect(seen[1].payload?.$case === 'artifactUpdate' && seen[1].payload.value.artifact?.parts[0].content).toEqual({ $case: 'text', value: 'Found ' });
    // The new task was not looked up in the database, and its row waits behind the stream.
    expect(database.queries).toHaveLength(0);

    release.resolve();
    const next = await stream.next();
    expect(next.value?.payload?.$case).toBe('artifactUpdate');
    // Nor does the end: the completed state reaches the caller while its row — the task's one write — hangs.
    const end = await stream.next();
    expect(end.value?.payload?.$case === 'statusUpdate' && end.value.payload.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect((await stream.next()).done).toBe(true);
    expect(database.queries).toHaveLength(1);
    expect(database.queries[0]).toMatch(/^INSERT INTO a2a_tasks/);
    expect((await store.load(seen[0].payload?.$case === 'task' ? seen[0].payload.value.id : '', serviceCallContext()))?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});
