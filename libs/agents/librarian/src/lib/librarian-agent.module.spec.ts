import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { CATALOG_REQUEST_KEY, type Agent, type AgentEvent, type CatalogQueryResult } from '@aether/core';
import { HomeAssistantClient, HomeAssistantError, type HaEntityState } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { LibrarianAgent } from './librarian.agent';
import { LibrarianAgentModule } from './librarian-agent.module';
import { LibrarianLifecycle } from './librarian-lifecycle.service';
import { DeltaSyncService } from './sync/delta-sync.service';
import { LIBRARIAN_OPTIONS, type LibrarianOptions } from './librarian.options';
import { FakeHomeAssistantClient, smallHome } from './testing/fake-home-assistant.client';
import { openCatalogTestDatabase, type CatalogTestDatabase } from './testing/catalog-test-database';

describe('LibrarianAgentModule', () => {
  let db: CatalogTestDatabase;
  let ha: FakeHomeAssistantClient;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    db = await openCatalogTestDatabase();
  }, 60_000); // PGlite's initdb is slow on a busy machine
  afterAll(async () => {
    await db?.database.close();
  });
  beforeEach(async () => {
    await db.reset();
    ha = new FakeHomeAssistantClient(smallHome());
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  async function start(options: Partial<LibrarianOptions> = {}): Promise<TestingModule> {
    @Module({
      providers: [
        { provide: HomeAssistantClient, useValue: ha },
        { provide: DataSource, useValue: db.database.dataSource },
        { provide: LIBRARIAN_OPTIONS, useValue: { deltaSync: { batchIntervalMs: 20, batchMaxChanges: 200 }, ...options } },
      ],
      exports: [HomeAssistantClient, DataSource, LIBRARIAN_OPTIONS],
    })
    class AppProviders {}
    moduleRef = await Test.createTestingModule({ imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })),
        { module: AppProviders, global: true },
        LibrarianAgentModule,
        LocalAgentsModule,
      ],
    }).compile();
    await moduleRef.init(); // runs the bootstrap hooks
    return moduleRef;
  }

  async function catalogQuery(agent: Agent, op: 'catalog_summary'): Promise<CatalogQueryResult> {
    const events: AgentEvent[] = [];
    for await (const event of agent.run({ message: '', history: [], data: { [CATALOG_REQUEST_KEY]: { op } }, context: { conversationId: 'c', userId: 'u' } }, new AbortController().signal)) {
      events.push(event);
    }
    return (events.find((e) => e.type === 'result') as { data: Record<string, CatalogQueryResult> }).data[CATALOG_REQUEST_KEY];
  }

  it('declares the Librarian and its card to the process', async () => {
    const ref = await start({ autoStart: false });
    const local = ref.get(LocalAgentRegistry).get('librarian');
    expect(local.agent).toBeInstanceOf(LibrarianAgent);
    const card = local.card;
    expect(card.name).toBe('librarian');
    expect(card.skills.map((s) => s.id)).toEqual(['entity_discovery', 'entity_sync']);
    expect(card.description).not.toMatch(/not available/i);
  });

  it('when the Librarian runs here: discovers at start-up in the background, keeps in step by delta sync, stops on shutdown', async () => {
    const ref = await start();
    await ref.get(LibrarianLifecycle).started;
    expect(await db.store.latestSession({ kind: 'full' })).toMatchObject({ triggered_by: 'startup', status: 'completed', entities_found: 11 });
    expect(ha.subscriberCount).toBe(1);

    const batch = new Promise((resolve) => ref.get(DeltaSyncService).onBatch(resolve));
    ha.setState('light.kitchen_spots', 'on');
    await batch;
    expect((await db.store.entityStates()).get('light.kitchen_spots')).toBe('on');

    await ref.close();
    moduleRef = undefined;
    expect(ha.subscriberCount).toBe(0);
  });

  it('does not touch Home Assistant with autoStart off', async () => {
    ha.getStates = () => Promise.reject(new Error('must not be called'));
    const ref = await start({ autoStart: false });
    await ref.get(LibrarianLifecycle).started;
    expect(await db.store.latestSession()).toBeNull();
    expect(ha.subscriberCount).toBe(0);
  });

  it('a catalog query arriving during the start-up discovery waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const getStates = ha.getStates.bind(ha);
    ha.getStates = async (): Promise<HaEntityState[]> => {
      await gate;
      return getStates();
    };
    const ref = await start(); // start-up does not wait for discovery
    const answer = catalogQuery(ref.get(LibrarianAgent), 'catalog_summary');
    release();
    expect(await answer).toMatchObject({ op: 'catalog_summary', summary: { entity_count: 11, device_count: 3 } });
    expect((await db.database.dataSource.query(`SELECT triggered_by FROM discovery_sessions WHERE kind = 'full'`)).map((r: { triggered_by: string }) => r.triggered_by)).toEqual(['startup']);
  });

  it('retries the start-up when Home Assistant is not reachable yet', async () => {
    const getStates = ha.getStates.bind(ha);
    let calls = 0;
    ha.getStates = async (): Promise<HaEntityState[]> => {
      calls++;
      if (calls === 1) throw new HomeAssistantError('unreachable', 'Home Assistant at http://127.0.0.1:1 is unreachable');
      return getStates();
    };
    const ref = await start({ retryDelayMs: 10 });
    await ref.get(LibrarianLifecycle).started;
    const sessions: Array<{ status: string }> = await db.database.dataSource.query(`SELECT status FROM discovery_sessions WHERE kind = 'full' ORDER BY started_at`);
    expect(sessions.map((r) => r.status)).toEqual(['failed', 'completed']);
    expect(ha.subscriberCount).toBe(1);
  });

  it('skips the start-up discovery while the catalog is fresh, and still starts delta sync', async () => {
    const first = await start();
    await first.get(LibrarianLifecycle).started;
    await first.close();
    const ref = await start({ maxCatalogAgeMs: 3_600_000 });
    await ref.get(LibrarianLifecycle).started;
    expect((await db.database.dataSource.query(`SELECT COUNT(*)::int AS n FROM discovery_sessions WHERE kind = 'full'`))[0].n).toBe(1);
    expect(ha.subscriberCount).toBe(1);
  });
});
