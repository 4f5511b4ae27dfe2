import type { DataSource } from 'typeorm';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { sampleCatalogSnapshot } from './catalog-test-fixtures';
import type { CatalogSnapshot } from './catalog.store';
import { TypeOrmCatalogStore } from './typeorm-catalog.store';

const NOTHING = { added: 0, updated: 0, removed: 0 };

const CATALOG_TABLES = /"(ha_[a-z]+|discovery_sessions)"/;

describe.each(testDatabaseKinds())('TypeOrmCatalogStore on %s', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: TypeOrmCatalogStore;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    dataSource = database.dataSource;
    store = new TypeOrmCatalogStore(dataSource);
  }, 60_000); // PGlite's initdb (or a container) is slow on a busy machine

  afterAll(async () => {
    await database?.close();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE ha_floors, ha_areas, ha_devices, ha_entities, ha_automations, ha_scripts, ha_scenes, discovery_sessions');
  });

  it('the hand-written migration creates exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((q) => CATALOG_TABLES.test(q))).toEqual([]);
  });

  it('a full run fills the catalog; an identical second run adds, updates and removes nothing', async () => {
    const first = await store.replaceAll(sampleCatalogSnapshot());
    expect(first).toEqual({
      floors: { added: 2, updated: 0, removed: 0 },
      areas: { added: 3, updated: 0, removed: 0 },
      devices: { added: 2, updated: 0, removed: 0 },
      entities: { added: 7, updated: 0, removed: 0 },
      automations: { added: 1, updated: 0, removed: 0 },
      scripts: { added: 1, updated: 0, removed: 0 },
      scenes: { added: 1, updated: 0, removed: 0 },
    });
    expect(await store.counts()).toEqual({ floors: 2, areas: 3, devices: 2, entities: 7, automations: 1, scripts: 1, scenes: 1 });

    const second = await store.replaceAll(sampleCatalogSnapshot());
    expect(Object.values(second)).toEqual(Array(7).fill(NOTHING));
  });

  it('refreshes changing state without counting it, counts renames as updates and drops what HA no longer has', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    const next = sampleCatalogSnapshot();
    next.entities = next.entities.filter((e) => e.entityId !== 'sensor.outdoor_temperature');
    const light = next.entities.find((e) => e.entityId === 'light.kitchen')!;
    light.state = 'on';
    light.attributes = { friendly_name: 'Kitchen light', brightness: 200 };
    next.entities.find((e) => e.entityId === 'sensor.fridge_power')!.name = 'Fridge consumption';
    next.devices = next.devices.filter((d) => d.deviceId !== 'dev-lamp');

    const counts = await store.replaceAll(next);
    expect(counts.entities).toEqual({ added: 0, updated: 1, removed: 1 });
    expect(counts.devices).toEqual({ added: 0, updated: 0, removed: 1 });
    expect(await store.getEntity('light.kitchen')).toMatchObject({ state: 'on', attributes: { brightness: 200 } });
    expect(await store.getEntity('sensor.outdoor_temperature')).toBeNull();
  });

  it('a domain-filtered run replaces only that domain', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    const lightsOnly: CatalogSnapshot = { ...sampleCatalogSnapshot(), domains: ['light'], automations: [], scripts: [], scenes: [] };
    lightsOnly.entities = lightsOnly.entities.filter((e) => e.entityId === 'light.kitchen');

    const counts = await store.replaceAll(lightsOnly);
    expect(counts.entities).toEqual({ added: 0, updated: 0, removed: 1 });
    expect(counts.automations).toEqual(NOTHING);
    expect((await store.counts()).entities).toBe(6);
    expect(await store.getEntity('light.living_room')).toBeNull();
    expect(await store.getEntity('sensor.fridge_power')).not.toBeNull();
  });

  it('applies delta upserts and removals', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    const [kitchen] = await store.findEntityRows(['light.kitchen']);
    expect(kitchen).toMatchObject({ entityId: 'light.kitchen', areaId: 'kitchen', state: 'off' });
    const added = { ...kitchen, entityId: 'light.pantry', name: 'Pantry light' };
    expect(await store.upsertEntities([{ ...kitchen, state: 'on' }, added])).toEqual({ added: 1, updated: 1, removed: 0 });
    expect((await store.entityStates()).get('light.kitchen')).toBe('on');
    expect(await store.removeEntities(['light.pantry', 'light.never_existed'])).toBe(1);
    expect((await store.counts()).entities).toBe(7);
  });

  it('refreshes the state of automations, scripts and scenes from a delta', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    const triggered = new Date('2026-11-02T07:00:00Z');
    await store.refreshRunnableStates([
      { entityId: 'automation.night_lights', state: 'off', lastTriggered: triggered },
      { entityId: 'script.good_night', state: 'on', lastTriggered: null },
      { entityId: 'scene.movie', state: '2026-11-02T07:00:00+00:00', lastTriggered: null },
      { entityId: 'automation.unknown', state: 'on', lastTriggered: null },
    ]);
    expect(await store.getAutomation('automation.night_lights')).toMatchObject({ state: 'off', last_triggered: triggered.toISOString(), config: { alias: 'Night lights' } });
    const [script] = await dataSource.query(`SELECT state FROM ha_scripts WHERE entity_id = 'script.good_night'`);
    const [scene] = await dataSource.query(`SELECT state FROM ha_scenes WHERE entity_id = 'scene.movie'`);
    expect([script.state, scene.state]).toEqual(['on', '2026-11-02T07:00:00+00:00']);
    expect((await store.counts()).automations).toBe(1);
  });

  it('searches by words over id, name, area and device name, with domain and area filters', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    const kitchen = await store.queryEntities({ words: ['kitchen'] });
    expect(kitchen.entities.map((e) => e.entity_id)).toEqual(['light.kitchen', 'sensor.fridge_power']);
    expect(kitchen.total).toBe(2);
    expect(kitchen.entities[1]).toEqual({ entity_id: 'sensor.fridge_power', name: 'Fridge power', domain: 'sensor', state: '85', area: 'Kitchen', device: 'Fridge', unit: 'W' });

    expect((await store.queryEntities({ words: ['ceiling'] })).entities.map((e) => e.entity_id)).toEqual(['light.living_room']);
    expect((await store.queryEntities({ words: ['kitchen', 'power'] })).entities.map((e) => e.entity_id)).toEqual(['sensor.fridge_power']);
    expect((await store.queryEntities({ words: ['100%'] })).total).toBe(0);
    expect((await store.queryEntities({ domain: 'light', area: 'living room' })).entities.map((e) => e.entity_id)).toEqual(['light.living_room']);
    const limited = await store.queryEntities({ domain: 'sensor', limit: 1 });
    expect(limited).toMatchObject({ total: 2, entities: [{ entity_id: 'sensor.fridge_power' }] });
  });

  it('answers domain summaries, automations, areas, devices and the catalog summary', async () => {
    await store.replaceAll(sampleCatalogSnapshot());
    expect(await store.domainSummary('light')).toEqual({ domain: 'light', count: 2, states: { off: 1, on: 1 }, areas: { Kitchen: 1, 'Living Room': 1 } });
    expect(await store.listAutomations()).toEqual([
      { entity_id: 'automation.night_lights', id: '1001', alias: 'Night lights', state: 'on', mode: 'single', trigger_types: ['sun'], last_triggered: null },
    ]);
    expect((await store.getAutomation('1001'))?.config).toMatchObject({ alias: 'Night lights' });
    expect((await store.getAutomation('automation.night_lights'))?.id).toBe('1001');
    expect(await store.getAutomation('automation.nope')).toBeNull();

    const areas = await store.listAreas();
    expect(areas.map((a) => [a.name, a.floor, a.device_count, a.entity_count])).toEqual([
      ['Kitchen', 'Ground floor', 1, 2],
      ['Living Room', 'Ground floor', 1, 1],
      ['Bedroom', 'First floor', 0, 0],
    ]);
    const kitchenDevices = await store.listDevices({ areaId: 'kitchen' });
    expect(kitchenDevices).toEqual([
      expect.objectContaining({ name: 'Fridge', manufacturer: 'Bosch', model: 'KGN', area: 'Kitchen', entities: [expect.objectContaining({ entity_id: 'sensor.fridge_power' })] }),
    ]);

    const session = await store.startSession({ kind: 'full', triggeredBy: 'test' });
    await store.completeSession(session.id, {
      found: { entities: 7, devices: 2, areas: 3, automations: 1, scripts: 1, scenes: 1 },
      counts: { entities: { added: 7, updated: 0, removed: 0 } },
      domainCounts: { sensor: 2, light: 2 },
    });
    const summary = await store.summary();
    expect(summary).toMatchObject({
      entity_count: 7,
      areas: ['Bedroom', 'Kitchen', 'Living Room'],
      floors: ['Ground floor', 'First floor'],
      device_count: 2,
      automation_count: 1,
      script_count: 1,
      scene_count: 1,
    });
    expect(Object.entries(summary.domains)).toEqual([['light', 2], ['sensor', 2], ['automation', 1], ['scene', 1], ['script', 1]]);
    expect(summary.last_discovery_at).toEqual(expect.any(String));
  });

  it('records discovery sessions from running to completed or failed', async () => {
    expect(await store.latestSession()).toBeNull();
    const running = await store.startSession({ kind: 'delta', triggeredBy: 'delta_sync' });
    expect(running).toMatchObject({ kind: 'delta', status: 'running', finished_at: null, entities: NOTHING });
    const failed = await store.failSession(running.id, 'Home Assistant is unreachable');
    expect(failed).toMatchObject({ status: 'failed', error: 'Home Assistant is unreachable', finished_at: expect.any(String) });
    expect(await store.latestSession({ kind: 'delta', status: 'failed' })).toMatchObject({ id: running.id });
    expect(await store.latestSession({ kind: 'full' })).toBeNull();
  });
});
