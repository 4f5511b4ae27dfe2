import { AgentError, CATALOG_REQUEST_KEY, type AgentEvent, type CatalogQuery, type CatalogQueryResult } from '@aether/core';
import { HomeAssistantError } from '@aether/home-assistant';
import { CatalogQueryHandler } from './catalog-query/catalog-query.handler';
import { LibrarianChatResponder } from './chat/librarian-chat.responder';
import { CatalogWriteLock } from './discovery/catalog-write.lock';
import { DiscoveryService } from './discovery/discovery.service';
import { LibrarianAgent } from './librarian.agent';
import { FakeHomeAssistantClient, smallHome } from './testing/fake-home-assistant.client';
import { openCatalogTestDatabase, type CatalogTestDatabase } from './testing/catalog-test-database';

describe('LibrarianAgent', () => {
  let db: CatalogTestDatabase;
  let ha: FakeHomeAssistantClient;
  let agent: LibrarianAgent;

  beforeAll(async () => {
    db = await openCatalogTestDatabase();
  }, 60_000); // PGlite's initdb is slow on a busy machine
  afterAll(async () => {
    await db?.database.close();
  });
  beforeEach(async () => {
    await db.reset();
    ha = new FakeHomeAssistantClient(smallHome());
    const discovery = new DiscoveryService(ha, db.store, new CatalogWriteLock());
    agent = new LibrarianAgent(new CatalogQueryHandler(ha, db.store, discovery), new LibrarianChatResponder(db.store, discovery));
  });

  async function run(message: string, data?: Record<string, unknown>): Promise<AgentEvent[]> {
    const events: AgentEvent[] = [];
    for await (const event of agent.run({ message, history: [], data, context: { conversationId: 'c1', userId: 'u1' } }, new AbortController().signal)) {
      events.push(event);
    }
    return events;
  }
  const text = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.content] : [])).join('');

  async function query<Op extends CatalogQuery['op']>(q: Extract<CatalogQuery, { op: Op }>): Promise<CatalogQueryResult & { op: Op }> {
    const events = await run('', { [CATALOG_REQUEST_KEY]: q });
    const result = events.find((e) => e.type === 'result');
    expect(events.some((e) => e.type === 'token')).toBe(false);
    return (result as { data: Record<string, unknown> }).data[CATALOG_REQUEST_KEY] as CatalogQueryResult & { op: Op };
  }

  describe('catalog protocol', () => {
    it('discovers the catalog on the first query, then searches it by words', async () => {
      const result = await query({ op: 'search_entities', query: 'kitchen lights' });
      expect(result).toEqual({
        op: 'search_entities',
        live: false,
        total: 2,
        entities: [
          { entity_id: 'light.kitchen_spots', name: 'Kitchen spots', domain: 'light', state: 'off', area: 'Kitchen', device: null, unit: null },
          { entity_id: 'light.lamp_night', name: 'Night lamp', domain: 'light', state: 'off', area: 'Kitchen', device: 'Ceiling lamp', unit: null },
        ],
      });
      expect(await db.store.latestSession({ kind: 'full' })).toMatchObject({ triggered_by: 'first_query', status: 'completed' });
    });

    it('reads entity state live from Home Assistant, with area and device from the catalog', async () => {
      await query({ op: 'catalog_summary' });
      ha.home.states.find((s) => s.entity_id === 'light.living_room')!.state = 'off'; // not emitted: the catalog still says on
      ha.setState('light.living_room', 'off');
      const { entity } = await query({ op: 'get_entity_state', entityId: 'light.living_room' });
      expect(entity).toMatchObject({ entity_id: 'light.living_room', state: 'off', area: 'Living Room', device: 'Ceiling lamp', attributes: { friendly_name: 'Living room light' } });
      expect((await query({ op: 'get_entity_state', entityId: 'light.nowhere' })).entity).toBeNull();
    });

    it('lists a domain from the catalog, or live when filtered by state', async () => {
      expect(await query({ op: 'list_entities_by_domain', domain: 'light', area: 'Kitchen' })).toMatchObject({ total: 2, live: false });
      ha.setState('light.kitchen_spots', 'on');
      const on = await query({ op: 'list_entities_by_domain', domain: 'light', stateFilter: 'on' });
      expect(on).toMatchObject({ live: true, total: 2 });
      expect(on.entities.map((e) => [e.entity_id, e.area])).toEqual([['light.kitchen_spots', 'Kitchen'], ['light.living_room', 'Living Room']]);
      const onInKitchen = await query({ op: 'list_entities_by_domain', domain: 'light', stateFilter: 'on', area: 'kitchen' });
      expect(onInKitchen.entities.map((e) => e.entity_id)).toEqual(['light.kitchen_spots']);
    });

    it('summarises a domain, lists automations and returns an automation config', async () => {
      expect(await query({ op: 'get_domain_summary', domain: 'light' })).toEqual({
        op: 'get_domain_summary',
        domain: 'light',
        count: 3,
        states: { off: 2, on: 1 },
        areas: { Kitchen: 2, 'Living Room': 1 },
      });
      const { automations } = await query({ op: 'list_automations' });
      expect(automations.map((a) => [a.entity_id, a.id, a.trigger_types])).toEqual([['automation.night_lights', '1001', ['sun', 'time']], ['automation.yaml_only', null, []]]);
      const { automation } = await query({ op: 'get_automation_config', automation: '1001' });
      expect(automation?.config).toEqual(ha.home.automations['1001']);
    });

    it('gives the compact catalog summary and runs discovery on request', async () => {
      const { summary } = await query({ op: 'catalog_summary' });
      expect(summary).toMatchObject({ entity_count: 11, device_count: 3, automation_count: 2, script_count: 1, scene_count: 1, areas: ['Bedroom', 'Kitchen', 'Living Room'], floors: ['Ground floor', 'First floor'] });
      // The home's zone, from Home Assistant's config, so prompts can give the local time.
      expect(summary.time_zone).toBe('Europe/Amsterdam');
      const { session } = await query({ op: 'discover', domainFilter: 'light' });
      expect(session).toMatchObject({ kind: 'full', triggered_by: 'catalog_request', entities_found: 3, entities: { added: 0, updated: 0, removed: 0 } });
    });

    it.each([
      [{ op: 'search_entities' }, 'query:'],
      [{ op: 'drop_tables' }, 'op:'],
      [{ op: 'get_entity_state', entityId: 'not an id' }, 'entityId: an entity id such as light.kitchen'],
      ['search everything', 'query:'],
    ])('rejects %j as invalid_input', async (bad, problem) => {
      const failure = run('', { [CATALOG_REQUEST_KEY]: bad });
      await expect(failure).rejects.toBeInstanceOf(AgentError);
      await expect(failure).rejects.toMatchObject({ code: 'invalid_input', agent: 'librarian', message: expect.stringContaining(problem) });
    });

    it('turns a Home Assistant failure into upstream_error', async () => {
      ha.getStates = () => Promise.reject(new HomeAssistantError('unreachable', 'Home Assistant at http://127.0.0.1:1 is unreachable'));
      await expect(run('', { [CATALOG_REQUEST_KEY]: { op: 'catalog_summary' } })).rejects.toMatchObject({ code: 'upstream_error', message: 'Home Assistant at http://127.0.0.1:1 is unreachable' });
    });
  });

  describe('chat', () => {
    it('lists the devices of an area with make, model and entities', async () => {
      const answer = text(await run('What devices do I have in the kitchen?'));
      expect(answer).toContain('**Kitchen** (Ground floor): 1 device, 4 entities.');
      expect(answer).toContain('- **Fridge** — Bosch KGN39');
      expect(answer).toContain('  - Fridge power (`sensor.fridge_power`): 85');
      expect(answer).toContain('  - Fridge door (`binary_sensor.fridge_door`): off');
      expect(answer).toContain('Entities in this area without a device here:\n- Kitchen spots (`light.kitchen_spots`): off\n- Night lamp (`light.lamp_night`): off');
      expect(answer).not.toContain('Ceiling lamp —');
      // Aliases name areas too.
      expect(text(await run("what's in the cooking area"))).toContain('**Kitchen**');
    });

    it('discovers the home on request and answers with real counts', async () => {
      const events = await run('Discover my home');
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['tool_start', 'tool_end', 'token']));
      const answer = text(events);
      expect(answer).toContain('**Discovery complete**: 11 entities, 3 devices, 3 areas, 2 automations, 1 script, 1 scene.');
      expect(answer).toContain('Changes since the last run: 11 added, 0 updated, 0 removed.');
      expect(answer).toContain('- light: 3');
      expect(answer).toContain('- Ground floor: Kitchen (1 device, 4 entities), Living Room (1 device, 1 entity)');
      expect(answer).toContain('- First floor: Bedroom (1 device, 1 entity)');
      expect(text(await run('refresh'))).toContain('Changes since the last run: 0 added, 0 updated, 0 removed.');
    });

    it('counts and lists by domain, area and kind', async () => {
      expect(text(await run('How many lights do I have?'))).toBe('You have **3** light entities.\n');
      expect(text(await run('how many lights are in the kitchen?'))).toBe('You have **2** light entities in Kitchen.\n');
      expect(text(await run('How many devices are there?'))).toBe('You have **3** devices.\n');
      const sensors = text(await run('list my sensors'));
      expect(sensors).toContain('**sensor entities** (2):');
      expect(sensors).toContain('- Outdoor temperature (`sensor.outdoor_temperature`): 7.5');
      expect(text(await run('list my areas'))).toContain('**Areas by floor**');
      expect(text(await run('list my devices'))).toContain('- Thermostat — tado Smart Thermostat V3 (Bedroom)');
    });

    it('says what it can answer when the question is about nothing it knows', async () => {
      const answer = text(await run('What is the meaning of life?'));
      expect(answer).toContain('I keep the catalog of your home (11 entities, 3 devices, 3 areas). I can answer:');
      expect(answer).toContain('"Discover my home"');
    });

    it('never changes Home Assistant', async () => {
      await run('Discover my home');
      await run('What devices do I have in the kitchen?');
      expect(ha.writes).toEqual([]);
    });
  });
});
