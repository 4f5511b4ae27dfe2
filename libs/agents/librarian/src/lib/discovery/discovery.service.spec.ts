import { HomeAssistantError } from '@aether/home-assistant';
import { addEntity, FakeHomeAssistantClient, generatedHome, smallHome } from '../testing/fake-home-assistant.client';
import { openCatalogTestDatabase, type CatalogTestDatabase } from '../testing/catalog-test-database';
import { CatalogWriteLock } from './catalog-write.lock';
import { DiscoveryService, triggerTypes } from './discovery.service';

const NOTHING = { added: 0, updated: 0, removed: 0 };

describe('DiscoveryService', () => {
  let db: CatalogTestDatabase;

  beforeAll(async () => {
    db = await openCatalogTestDatabase();
  }, 60_000); // PGlite's initdb is slow on a busy machine
  afterAll(async () => {
    await db?.database.close();
  });
  beforeEach(() => db.reset());

  const discoveryOf = (ha: FakeHomeAssistantClient) => new DiscoveryService(ha, db.store, new CatalogWriteLock());

  it("fills the catalog with exactly the home's entities, devices, areas, floors, automations, scripts and scenes", async () => {
    const home = smallHome();
    const ha = new FakeHomeAssistantClient(home);
    const session = await discoveryOf(ha).discover({ triggeredBy: 'test' });

    expect(session).toMatchObject({
      kind: 'full',
      status: 'completed',
      triggered_by: 'test',
      entities_found: home.states.length,
      devices_found: 3,
      areas_found: 3,
      automations_found: 2,
      scripts_found: 1,
      scenes_found: 1,
      entities: { added: home.states.length, updated: 0, removed: 0 },
      error: null,
    });
    expect(session.domain_counts).toEqual({ sensor: 2, binary_sensor: 1, light: 3, climate: 1, automation: 2, script: 1, scene: 1 });
    expect(await db.store.counts()).toEqual({ entities: 11, devices: 3, areas: 3, floors: 2, automations: 2, scripts: 1, scenes: 1 });

    const all = await db.store.queryEntities({ limit: 100 });
    expect(all.entities.map((e) => e.entity_id).sort()).toEqual(home.states.map((s) => s.entity_id).sort());
    const byId = new Map(all.entities.map((e) => [e.entity_id, e]));
    expect(byId.get('light.living_room')).toMatchObject({ area: 'Living Room', device: 'Ceiling lamp' }); // device's area
    expect(byId.get('light.lamp_night')).toMatchObject({ area: 'Kitchen', device: 'Ceiling lamp' }); // its own area wins
    expect(byId.get('light.kitchen_spots')).toMatchObject({ area: 'Kitchen', device: null });
    expect(byId.get('sensor.outdoor_temperature')).toMatchObject({ area: null }); // registries present: no inference

    expect(await db.store.getAutomation('automation.night_lights')).toMatchObject({
      id: '1001',
      alias: 'Night lights',
      mode: 'single',
      trigger_types: ['sun', 'time'],
      last_triggered: '2026-11-01T06:00:00.000Z',
      config: home.automations['1001'],
    });
    expect(await db.store.getAutomation('automation.yaml_only')).toMatchObject({ id: null, config: null, alias: 'YAML only' });
    expect(ha.writes).toEqual([]);
  });

  it('a second run on an unchanged home adds, updates and removes nothing', async () => {
    const ha = new FakeHomeAssistantClient(smallHome());
    const discovery = discoveryOf(ha);
    await discovery.discover({ triggeredBy: 'first' });
    const second = await discovery.discover({ triggeredBy: 'second' });
    expect(second.entities).toEqual(NOTHING);
    expect(Object.values(second.counts)).toEqual(Array(7).fill(NOTHING));
  });

  it('counts what HA added, renamed and removed since the last run', async () => {
    const home = smallHome();
    await discoveryOf(new FakeHomeAssistantClient(home)).discover({ triggeredBy: 'first' });
    home.states = home.states.filter((s) => s.entity_id !== 'binary_sensor.fridge_door');
    home.entities.find((e) => e.entity_id === 'light.kitchen_spots')!.name = 'Spots over the hob';
    addEntity(home, 'switch.kettle', 'Kettle', 'off', { area_id: 'kitchen' });

    const session = await discoveryOf(new FakeHomeAssistantClient(home)).discover({ triggeredBy: 'second' });
    expect(session.entities).toEqual({ added: 1, updated: 1, removed: 1 });
    expect((await db.store.queryEntities({ area: 'kitchen', limit: 20 })).entities.map((e) => e.name)).toEqual(['Spots over the hob', 'Night lamp', 'Fridge power', 'Kettle']);
  });

  it('without registries (older HA) infers areas from attributes and says so on the session', async () => {
    const ha = new FakeHomeAssistantClient(smallHome());
    ha.registriesFail = true;
    const session = await discoveryOf(ha).discover({ triggeredBy: 'test' });
    expect(session.status).toBe('completed');
    expect(session.error).toContain('The entity registry could not be read');
    expect(session.error).toContain('Areas were inferred from entity attributes.');
    expect(session.areas_found).toBe(1);
    expect(await db.store.getEntity('sensor.outdoor_temperature')).toMatchObject({ area: 'Garden' });
    expect(await db.store.getEntity('light.kitchen_spots')).toMatchObject({ area: null, device: null, name: 'Kitchen spots' });
  });

  it('a domain-filtered run reads and replaces only that domain', async () => {
    const home = smallHome();
    await discoveryOf(new FakeHomeAssistantClient(home)).discover({ triggeredBy: 'first' });
    home.states = home.states.filter((s) => s.entity_id !== 'light.kitchen_spots' && s.entity_id !== 'sensor.fridge_power');
    const session = await discoveryOf(new FakeHomeAssistantClient(home)).discover({ triggeredBy: 'lights', domainFilter: 'light' });
    expect(session).toMatchObject({ entities_found: 2, domain_counts: { light: 2 }, entities: { added: 0, updated: 0, removed: 1 }, domain_filter: 'light' });
    expect(await db.store.getEntity('sensor.fridge_power')).not.toBeNull();
  });

  it('records a failed session and rethrows when Home Assistant cannot be read', async () => {
    const ha = new FakeHomeAssistantClient(smallHome());
    ha.getStates = () => Promise.reject(new HomeAssistantError('unreachable', 'Home Assistant at http://127.0.0.1:1 is unreachable'));
    await expect(discoveryOf(ha).discover({ triggeredBy: 'test' })).rejects.toThrow('is unreachable');
    expect(await db.store.latestSession()).toMatchObject({ status: 'failed', error: 'Home Assistant at http://127.0.0.1:1 is unreachable' });
  });

  it('shares a run in progress with whoever asks meanwhile', async () => {
    const discovery = discoveryOf(new FakeHomeAssistantClient(smallHome()));
    const [a, b] = await Promise.all([discovery.discover({ triggeredBy: 'a' }), discovery.discover({ triggeredBy: 'b' })]);
    expect(a.id).toBe(b.id);
  });

  it('discovers a 2,000-entity home in under 10 s, and re-runs it with no changes', async () => {
    const home = generatedHome({ entityCount: 2_000 });
    const discovery = discoveryOf(new FakeHomeAssistantClient(home));
    const started = performance.now();
    const first = await discovery.discover({ triggeredBy: 'load' });
    const firstMs = performance.now() - started;
    const again = performance.now();
    const second = await discovery.discover({ triggeredBy: 'load' });
    const secondMs = performance.now() - again;
    process.stderr.write(`[librarian] 2,000-entity discovery: first run ${firstMs.toFixed(0)} ms, repeat ${secondMs.toFixed(0)} ms\n`);

    expect(first.entities).toEqual({ added: 2_000, updated: 0, removed: 0 });
    expect(first).toMatchObject({ devices_found: 382, areas_found: 20, automations_found: 30, scripts_found: 30, scenes_found: 30 });
    expect((await db.store.counts()).entities).toBe(2_000);
    expect(second.entities).toEqual(NOTHING);
    expect(firstMs).toBeLessThan(10_000);
    expect(secondMs).toBeLessThan(10_000);
  }, 30_000); // the figure asserted is the 10 s above; the margin is for a busy test machine
});

describe('triggerTypes', () => {
  it('reads new-style `trigger`, old-style `platform` and a single trigger mapping', () => {
    expect(triggerTypes({ triggers: [{ trigger: 'state' }, { trigger: 'sun' }, { trigger: 'state' }] })).toEqual(['state', 'sun']);
    expect(triggerTypes({ trigger: [{ platform: 'time' }] })).toEqual(['time']);
    expect(triggerTypes({ triggers: { trigger: 'homeassistant', event: 'start' } })).toEqual(['homeassistant']);
    expect(triggerTypes({})).toEqual([]);
  });
});
