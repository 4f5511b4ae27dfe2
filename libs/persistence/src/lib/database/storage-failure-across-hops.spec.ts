import { InMemoryTaskStore, type TaskStore } from '@a2a-js/sdk/server';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { A2aServerModule, AetherAgent, FailureClassifier, TaskStoreFactory } from '@aether/a2a';
import { AgentDirectory, AgentRuntimeModule } from '@aether/agent-runtime';
import { AetherConfigModule, loadConfig } from '@aether/config';
import type { Agent, AgentClient, AgentEvent, AgentRequest } from '@aether/core';
import { QueryFailedError } from 'typeorm';
import { StorageFailureClassifier } from './storage-error';

const TOKEN = 'storage-hop-token';
const SERVICE_ENV = { NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN } as const;

const lostConnection = () => new QueryFailedError('SELECT * FROM ha_entities', [], new Error('Connection terminated unexpectedly'));

/** A librarian whose catalog query fails while `failing` is set, as its database would. */
@AetherAgent({ name: 'librarian', card: { name: 'librarian', description: 'test librarian', skills: [] } })
class CatalogLibrarian implements Agent {
  readonly name = 'librarian' as const;
  failing = false;

  async *run(): AsyncIterable<AgentEvent> {
    if (this.failing) throw lostConnection();
    yield { type: 'token', agent: 'librarian', content: '42 entities' };
  }
}

/** Task stores that fail every save while `failing` is set (the database is gone mid-request). */
class FlakyTaskStores extends TaskStoreFactory {
  failing = false;

  create(): TaskStore {
    const store = new InMemoryTaskStore();
    return {
      save: async (task, context) => {
        if (this.failing) throw lostConnection();
        return store.save(task, context);
      },
      load: (taskId, context) => store.load(taskId, context),
      list: (params, context) => store.list(params, context),
    };
  }
}

function request(): AgentRequest {
  return { message: 'How many entities?', history: [], context: { conversationId: 'conv-s', userId: 'ann' } };
}

async function collect(client: AgentClient): Promise<string> {
  let text = '';
  for await (const event of client.stream(request())) if (event.type === 'token') text += event.content;
  return text;
}

describe('a storage failure crosses every hop as storage_unavailable (never as an unreachable or broken agent)', () => {
  const librarian = new CatalogLibrarian();
  const taskStores = new FlakyTaskStores();
  let service: INestApplication;
  let inProcess: AgentClient;
  let overHttp: AgentClient;

  beforeAll(async () => {
    @Global()
    @Module({
      providers: [
        { provide: CatalogLibrarian, useValue: librarian },
        { provide: TaskStoreFactory, useValue: taskStores },
        { provide: FailureClassifier, useClass: StorageFailureClassifier },
      ],
      exports: [TaskStoreFactory, FailureClassifier],
    })
    class LibrarianHostModule {}

    const serviceRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig(SERVICE_ENV)),
        LibrarianHostModule,
        AgentRuntimeModule.forRoot({ calls: ['librarian'] }),
        A2aServerModule.forAgent('librarian'),
      ],
    }).compile();
    service = serviceRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
    await service.listen(0, '127.0.0.1');
    inProcess = serviceRef.get(AgentDirectory).client('librarian');

    const callerRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(
          loadConfig({ ...SERVICE_ENV, DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'librarian', LIBRARIAN_SERVICE_URL: await service.getUrl() }),
        ),
        AgentRuntimeModule.forRoot({ calls: ['librarian'] }),
      ],
    }).compile();
    overHttp = callerRef.get(AgentDirectory).client('librarian');
  });
  afterAll(async () => {
    await service?.close();
  });
  afterEach(() => {
    librarian.failing = false;
    taskStores.failing = false;
  });

  const storageUnavailable = {
    name: 'AgentError',
    code: 'storage_unavailable',
    agent: 'librarian',
    message: "The librarian agent's database did not answer; please retry shortly",
  };

  it.each([
    ['in-process (monolith)', () => inProcess],
    ['over A2A (distributed)', () => overHttp],
  ])('%s: the agent failing on its database', async (_mode, client) => {
    expect(await collect(client())).toBe('42 entities');
    librarian.failing = true;
    await expect(collect(client())).rejects.toMatchObject(storageUnavailable);
  });

  it.each([
    ['in-process (monolith)', () => inProcess],
    ['over A2A (distributed)', () => overHttp],
  ])('%s: its task store failing on the database', async (_mode, client) => {
    taskStores.failing = true;
    await expect(collect(client())).rejects.toMatchObject(storageUnavailable);
  });

  it('leaves other failures alone', () => {
    const classifier = new StorageFailureClassifier();
    expect(classifier.classify(new Error('a bug'), 'librarian')).toBeUndefined();
    expect(classifier.classify(Object.assign(new Error('too many connections'), { code: '53300', severity: 'FATAL' }), 'librarian')).toMatchObject({
      code: 'storage_unavailable',
    });
  });
});
