import type { CatalogDiscoverySession } from '@aether/persistence';
import { CatalogWriteLock } from '../discovery/catalog-write.lock';
import { DiscoveryService } from '../discovery/discovery.service';
import { addEntity, device, FakeHomeAssistantClient, smallHome } from '../testing/fake-home-assistant.client';
import { openCatalogTestDatabase, type CatalogTestDatabase } from '../testing/catalog-test-database';
import { DeltaSyncService, type DeltaSyncOptions } from './delta-sync.service';

describe('DeltaSyncService', () => {
  let db: CatalogTestDatabase;
  let ha: FakeHomeAssistantClient;
  let sync: DeltaSyncService | undefined;

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
    await sync?.stop();
    sync = undefined;
  });

  async function startSync(options: Partial<DeltaSyncOptions> = {}): Promise<DeltaSyncService> {
    const lock = new CatalogWriteLock();
    await new DiscoveryService(ha, db.store, lock).discover({ triggeredBy: 'test' });
    sync = new DeltaSyncService(ha, db.store, lock, { batchIntervalMs: 20, batchMaxChanges: 200, ...options });
    await sync.start();
    await sync.settled(); // the first snapshot, compared with the catalog
    return sync;
  }

  function nextBatch(service: DeltaSyncService): Promise<CatalogDiscoverySession> {
    return new Promise((resolve) => {
      const off = service.onBatch((session) => {
        off();
        resolve(session);
      });
    });
  }

  it('writes nothing when the first snapshot matches the catalog', async () => {
    await startSync();
    expect(await db.store.latestSession({ kind: 'delta' })).toBeNull();
    expect(ha.subscriberCount).toBe(1);
  });

  it('a state change reaches the catalog in a delta batch, without a full run', async () => {
    const service = await startSync();
    const batch = nextBatch(service);
    ha.setState('light.kitchen_spots', 'on', { friendly_name: 'Kitchen spots', brightness: 180 });
    const session = await batch;

    expect(session).toMatchObject({ kind: 'delta', status: 'completed', triggered_by: 'delta_sync', entities: { added: 0, updated: 1, removed: 0 }, domain_counts: { light: 1 } });
    expect(await db.store.getEntity('light.kitchen_spots')).toMatchObject({ state: 'on', area: 'Kitchen', attributes: { brightness: 180 } });
    expect(await db.store.latestSession({ kind: 'full' })).toMatchObject({ triggered_by: 'test' }); // still the one full run
  });

  it('keeps the state of automations in step too', async () => {
    const service = await startSync();
    const batch = nextBatch(service);
    ha.setState('automation.night_lights', 'off', { friendly_name: 'Night lights', id: '1001', last_triggered: '2026-11-02T06:00:00+00:00' });
    await batch;
    expect(await db.store.getAutomation('1001')).toMatchObject({ state: 'off', last_triggered: '2026-11-02T06:00:00.000Z' });
  });

  it('reads the registry for an entity it has never seen, and drops removed ones', async () => {
    const service = await startSync();
    ha.home.devices.push(device('dev_kettle', 'Kettle', 'kitchen', 'Smeg', 'KLF04'));
    addEntity(ha.home, 'switch.kettle', 'Kettle', 'off', { device_id: 'dev_kettle' });
    const batch = nextBatch(service);
    ha.setState('switch.kettle', 'on', { friendly_name: 'Kettle' });
    ha.removeState('scene.movie');
    const session = await batch;

    expect(session.entities).toEqual({ added: 1, updated: 0, removed: 1 });
    expect(await db.store.getEntity('switch.kettle')).toMatchObject({ state: 'on', area: 'Kitchen', device: 'Kettle' });
    expect(await db.store.getEntity('scene.movie')).toBeNull();
    expect((await db.store.listDevices({ areaId: 'kitchen' })).map((d) => d.name)).toEqual(['Fridge', 'Kettle']);
  });

  it('collects changes into one batch, written as soon as it is full', async () => {
    const service = await startSync({ batchIntervalMs: 60_000, batchMaxChanges: 3 });
    const batch = nextBatch(service);
    ha.setState('light.kitchen_spots', 'on');
    ha.setState('light.living_room', 'off');
    ha.setState('light.kitchen_spots', 'off');
    ha.setState('sensor.fridge_power', '120');
    const session = await batch;
    expect(session.entities).toEqual({ added: 0, updated: 3, removed: 0 });
    expect((await db.store.entityStates()).get('sensor.fridge_power')).toBe('120');
  });

  it('catches up on changes made while it was not subscribed', async () => {
    const lock = new CatalogWriteLock();
    await new DiscoveryService(ha, db.store, lock).discover({ triggeredBy: 'test' });
    ha.setState('climate.bedroom', 'off'); // nobody listening yet
    sync = new DeltaSyncService(ha, db.store, lock, { batchIntervalMs: 20, batchMaxChanges: 200 });
    const batch = nextBatch(sync);
    await sync.start();
    expect((await batch).entities).toEqual({ added: 0, updated: 1, removed: 0 });
    expect((await db.store.entityStates()).get('climate.bedroom')).toBe('off');
  });

  it('stops listening on stop', async () => {
    const service = await startSync();
    await service.stop();
    expect(ha.subscriberCount).toBe(0);
    expect(service.active).toBe(false);
  });
});
