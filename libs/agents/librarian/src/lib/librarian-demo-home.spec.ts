import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import type { CatalogDiscoverySession } from '@aether/persistence';
import type { AgentEvent } from '@aether/core';
import { LibrarianChatResponder } from './chat/librarian-chat.responder';
import { CatalogWriteLock } from './discovery/catalog-write.lock';
import { DiscoveryService } from './discovery/discovery.service';
import { DeltaSyncService } from './sync/delta-sync.service';
import { openCatalogTestDatabase, type CatalogTestDatabase } from './testing/catalog-test-database';

// A pinned clock freezes the house: only what the test does changes it.
const NOW = Date.parse('2026-11-20T18:30:00Z');
const NOTHING = { added: 0, updated: 0, removed: 0 };

describe('Librarian against the demo home', () => {
  let db: CatalogTestDatabase;
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let discovery: DiscoveryService;
  let deltaSync: DeltaSyncService;

  beforeAll(async () => {
    [db, demo] = await Promise.all([openCatalogTestDatabase(), startDemoHome({ now: () => NOW })]);
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    const lock = new CatalogWriteLock();
    discovery = new DiscoveryService(ha, db.store, lock);
    deltaSync = new DeltaSyncService(ha, db.store, lock, { batchIntervalMs: 50, batchMaxChanges: 200 });
  }, 120_000);

  afterAll(async () => {
    await deltaSync?.stop();
    await ha?.close();
    await demo?.stop();
    await db?.database.close();
  });

  it("fills the catalog with exactly the demo's entities, devices, areas, floors and automations", async () => {
    const session = await discovery.discover({ triggeredBy: 'test' });
    const states = demo.house.states(NOW);
    const registries = demo.house.registries();
    const automationStates = states.filter((s) => s.entity_id.startsWith('automation.'));

    expect(session).toMatchObject({
      status: 'completed',
      error: null,
      entities_found: states.length,
      devices_found: registries.devices.length,
      areas_found: registries.areas.length,
      automations_found: automationStates.length,
      entities: { added: states.length, updated: 0, removed: 0 },
    });
    expect(states.length).toBeGreaterThan(10);
    const catalogued = await db.store.queryEntities({ limit: 1_000 });
    expect(catalogued.entities.map((e) => e.entity_id).sort()).toEqual(states.map((s) => s.entity_id).sort());
    expect((await db.store.listDevices()).map((d) => d.device_id).sort()).toEqual(registries.devices.map((d) => d.id).sort());
    expect((await db.store.listAreas()).map((a) => a.area_id).sort()).toEqual(registries.areas.map((a) => a.area_id).sort());
    expect((await db.store.listFloors()).map((f) => f.floor_id).sort()).toEqual(registries.floors.map((f) => f.floor_id).sort());

    // Areas resolved as HA does: the entity's own, else its device's.
    const deviceArea = new Map(registries.devices.map((d) => [d.id, d.area_id]));
    const areaName = new Map(registries.areas.map((a) => [a.area_id, a.name]));
    const byId = new Map(catalogued.entities.map((e) => [e.entity_id, e]));
    for (const entry of registries.entities) {
      if (!byId.has(entry.entity_id)) continue;
      const areaId = entry.area_id ?? (entry.device_id ? deviceArea.get(entry.device_id) : null) ?? null;
      expect([entry.entity_id, byId.get(entry.entity_id)!.area]).toEqual([entry.entity_id, areaId ? areaName.get(areaId) : null]);
    }

    // Every automation with its stored config.
    const configs = new Map(demo.house.automationConfigs().map((c) => [c.id, c]));
    const automations = await db.store.listAutomations();
    expect(automations.map((a) => a.entity_id).sort()).toEqual(automationStates.map((s) => s.entity_id).sort());
    for (const automation of automations) {
      if (!automation.id) continue;
      expect((await db.store.getAutomation(automation.entity_id))?.config).toEqual(configs.get(automation.id));
    }
    // The blueprint-based automation is reported as such: which blueprint, with which inputs.
    const blueprintBased = automations.filter((automation) => automation.blueprint);
    expect(blueprintBased).toEqual([
      expect.objectContaining({
        entity_id: 'automation.tell_alex_when_sam_leaves_home',
        trigger_types: [],
        blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: expect.objectContaining({ person_entity: 'person.sam', zone_entity: 'zone.home' }) },
      }),
    ]);
    // Every script was read, the blueprint-based one (no `sequence`) too: nothing is reported unreadable.
    const scriptStates = states.filter((s) => s.entity_id.startsWith('script.'));
    expect(scriptStates.map((s) => s.entity_id)).toContain('script.confirm_heating_off');
    expect(session).toMatchObject({ scripts_found: scriptStates.length, error: null });
  }, 60_000);

  it('a repeat run on the unchanged demo home changes nothing', async () => {
    const session = await discovery.discover({ triggeredBy: 'repeat' });
    expect(Object.values(session.counts)).toEqual(Array(7).fill(NOTHING));
  }, 60_000);

  it('answers "what devices do I have in the kitchen?" and "discover my home" from the demo catalog', async () => {
    const chat = new LibrarianChatResponder(db.store, discovery);
    const ask = async (question: string) => {
      const events: AgentEvent[] = [];
      for await (const event of chat.respond(question)) events.push(event);
      return events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');
    };
    const registries = demo.house.registries();
    const kitchen = registries.areas.find((a) => a.name.toLowerCase() === 'kitchen');
    expect(kitchen).toBeDefined();
    const kitchenDevices = registries.devices.filter((d) => d.area_id === kitchen!.area_id);
    expect(kitchenDevices.length).toBeGreaterThan(0);

    const answer = await ask('What devices do I have in the kitchen?');
    expect(answer).toContain(`**${kitchen!.name}**`);
    for (const device of kitchenDevices) {
      const maker = [device.manufacturer, device.model].filter(Boolean).join(' ');
      expect(answer).toContain(`- **${device.name_by_user ?? device.name}**${maker ? ` — ${maker}` : ''}`);
    }

    const discovered = await ask('Discover my home');
    expect(discovered).toContain(`**Discovery complete**: ${demo.house.states(NOW).length} entities, ${registries.devices.length} devices, ${registries.areas.length} areas`);
    expect(discovered).toContain('Changes since the last run: 0 added, 0 updated, 0 removed.');
  }, 60_000);

  it('toggling a light in the demo home updates the catalog through delta sync, without a full run', async () => {
    await deltaSync.start();
    await deltaSync.settled();
    const fullRuns = await fullRunCount();
    const light = (await db.store.queryEntities({ domain: 'light', limit: 1 })).entities[0];
    expect(light).toBeDefined();

    const batch = new Promise<CatalogDiscoverySession>((resolve) => deltaSync.onBatch(resolve));
    // The TEST changes the home (as a person would); the Librarian only reads it.
    const response = await fetch(`${demo.url}/api/services/light/toggle`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entity_id: light.entity_id }),
    });
    expect(response.status).toBe(200);
    const expected = light.state === 'on' ? 'off' : 'on';

    const session = await batch;
    expect(session).toMatchObject({ kind: 'delta', status: 'completed', entities: { added: 0, removed: 0 } });
    expect(session.entities.updated).toBeGreaterThanOrEqual(1);
    expect((await db.store.getEntity(light.entity_id))?.state).toBe(expected);
    expect(await fullRunCount()).toBe(fullRuns);
  }, 60_000);

  async function fullRunCount(): Promise<number> {
    const [row] = await db.database.dataSource.query(`SELECT COUNT(*)::int AS n FROM discovery_sessions WHERE kind = 'full'`);
    return row.n;
  }
});
