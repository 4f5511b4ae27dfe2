import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureError } from '../fixture/fixture-error';
import { largeHomeFixture, smallHomeFixture } from '../fixture/small-home.fixture';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

const NOW = Date.parse('2026-11-29T13:00:00Z');

describe('demo home REST API (fixture house)', () => {
  let home: RunningDemoHome;
  let now = NOW;
  const request = (method: string, path: string, body?: unknown, token: string | null = home.token) =>
    fetch(`${home.url}${path}`, {
      method,
      headers: { ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string) => request('GET', path);
  const post = (path: string, body?: unknown) => request('POST', path, body);
  const json = async (response: Response) => (await response.json()) as Record<string, unknown> & unknown[];
  /** Polls until the path answers `status`: config writes take effect after HA's reload, not with the answer. */
  const statusBecomes = async (path: string, status: number) => {
    for (let attempt = 0; (await get(path)).status !== status; attempt++) {
      if (attempt > 100) throw new Error(`${path} never answered ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const mutations = async () => (await (await get('/api/__demo/mutations')).json()) as Array<Record<string, unknown>>;

  beforeEach(async () => {
    now = NOW;
    home = await startDemoHome({ fixture: smallHomeFixture(), now: () => now });
  });
  afterEach(() => home.stop());

  it('needs the bearer token everywhere, including the mutation log', async () => {
    for (const path of ['/api/services', '/api/__demo/mutations', '/api/error_log', '/api/config/automation/config/evening_lights']) {
      const response = await request('GET', path, undefined, null);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('401: Unauthorized');
    }
    expect((await request('POST', '/api/services/light/turn_on', { entity_id: 'light.hall' }, 'wrong')).status).toBe(401);
    expect(home.house.state('light.hall', now)?.state).toBe('off');
  });

  it('answers the read-only calls with HA’s shapes and records no mutation', async () => {
    expect(await json(await get('/api/'))).toEqual({ message: 'API running.' });
    expect(await json(await get('/api/config'))).toMatchObject({ location_name: 'Fixture Cottage', time_zone: 'Europe/Dublin' });
    expect((await json(await get('/api/states'))).length).toBe(16);
    expect(await json(await get('/api/states/light.kitchen'))).toMatchObject({ entity_id: 'light.kitchen', state: 'on' });
    const services = (await json(await get('/api/services'))) as unknown as Array<{ domain: string; services: Record<string, unknown> }>;
    expect(services.map((entry) => entry.domain)).toEqual(expect.arrayContaining(['homeassistant', 'light', 'switch', 'climate', 'cover', 'lock', 'media_player', 'input_number', 'script', 'scene', 'automation']));
    expect(services.map((entry) => entry.domain)).not.toContain('fan');
    expect(services.find((entry) => entry.domain === 'light')?.services['turn_on']).toMatchObject({ fields: { brightness: expect.any(Object) }, target: { entity: {} } });
    const history = (await json(await get(`/api/history/period/2026-11-29T09:00:00Z?filter_entity_id=sensor.kitchen_temperature&minimal_response`))) as unknown as unknown[][];
    expect(history[0]).toHaveLength(3);
    const logbook = (await json(await get('/api/logbook/2026-11-29T09:30:00Z?entity=sensor.kitchen_temperature'))) as unknown as Array<Record<string, unknown>>;
    expect(logbook.map((entry) => entry['state'])).toEqual(['20.8', '21.5']);
    expect(logbook[0]['when']).toBe('2026-11-29T10:00:00+00:00');
    const errorLog = await get('/api/error_log');
    expect(errorLog.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await errorLog.text()).toContain('Bridge slow to respond');
    const template = await post('/api/template', { template: "{{ states('light.kitchen') }}/{{ x }}", variables: { x: 1 } });
    expect(template.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await template.text()).toBe('on/1');
    expect(await json(await post('/api/config/core/check_config'))).toEqual({ result: 'valid', errors: null, warnings: null });
    expect(await json(await get('/api/config/automation/config/evening_lights'))).toMatchObject({ id: 'evening_lights', alias: 'Evening lights' });
    expect(await json(await get('/api/config/script/config/morning'))).toMatchObject({ alias: 'Morning' });
    expect(await json(await get('/api/config/scene/config/movie_night'))).toMatchObject({ name: 'Movie night' });
    expect(await json(await get('/api/config/config_entries/entry'))).toEqual([expect.objectContaining({ entry_id: 'entry_hue', domain: 'hue' })]);
    expect(await mutations()).toEqual([]);
  });

  it('answers HA’s errors: unknown entity, bad template, unknown config, bad times', async () => {
    const missing = await get('/api/states/light.nowhere');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Entity not found.' });
    const badTemplate = await post('/api/template', { template: "{{ 'x' | float }}" });
    expect(badTemplate.status).toBe(400);
    expect(await badTemplate.json()).toEqual({ message: expect.stringMatching(/^Error rendering template: ValueError: Template error: float got invalid input 'x'/) });
    const unknownConfig = await get('/api/config/automation/config/nope');
    expect(unknownConfig.status).toBe(404);
    expect(await unknownConfig.json()).toEqual({ message: 'Resource not found' });
    expect((await get('/api/config/dashboard/config/x')).status).toBe(404);
    const badLogbook = await get('/api/logbook/yesterday');
    expect(badLogbook.status).toBe(400);
    expect(await badLogbook.json()).toEqual({ message: 'Invalid datetime' });
    expect(await mutations()).toEqual([]);
  });

  it('calls a service: changed states back, state/history/logbook updated, mutation recorded', async () => {
    const response = await post('/api/services/light/turn_on', { entity_id: 'light.hall', brightness: 77 });
    expect(response.status).toBe(200);
    const changed = (await response.json()) as Array<{ entity_id: string; state: string; context: { id: string } }>;
    expect(changed).toEqual([expect.objectContaining({ entity_id: 'light.hall', state: 'on', attributes: expect.objectContaining({ brightness: 77 }) })]);
    expect(await json(await get('/api/states/light.hall'))).toMatchObject({ state: 'on', last_changed: '2026-11-29T13:00:00+00:00' });
    now += 60_000;
    const history = (await json(await get('/api/history/period/2026-11-29T12:00:00Z?filter_entity_id=light.hall'))) as unknown as Array<Array<{ state: string }>>;
    expect(history[0].map((row) => row.state)).toEqual(['off', 'on']);
    const logbook = (await json(await get('/api/logbook/2026-11-29T12:00:00Z?entity=light.hall'))) as unknown as Array<Record<string, unknown>>;
    expect(logbook).toEqual([expect.objectContaining({ entity_id: 'light.hall', state: 'on', context_id: changed[0].context.id, context_service: 'turn_on' })]);
    expect(await mutations()).toEqual([
      {
        at: '2026-11-29T13:00:00.000Z',
        kind: 'service_call',
        outcome: 'ok',
        transport: 'rest',
        domain: 'light',
        service: 'turn_on',
        service_data: { entity_id: 'light.hall', brightness: 77 },
        context_id: changed[0].context.id,
        changed_entity_ids: ['light.hall'],
      },
    ]);
  });

  it('answers return_response and refuses unknown services and bad data (recording the attempts)', async () => {
    const scripted = await post('/api/services/script/morning?return_response');
    expect(await scripted.json()).toEqual({ changed_states: expect.arrayContaining([expect.objectContaining({ entity_id: 'switch.kettle', state: 'on' })]), service_response: {} });
    const notFound = await post('/api/services/light/teleport', { entity_id: 'light.hall' });
    // HA answers an unknown service, and invalid service data, with aiohttp's bare plain-text 400.
    expect([notFound.status, await notFound.text()]).toEqual([400, '400: Bad Request']);
    const noResponse = await post('/api/services/light/turn_on?return_response', { entity_id: 'light.hall' });
    expect(noResponse.status).toBe(400);
    expect(await noResponse.json()).toEqual({ message: 'Service does not support responses. Remove return_response from request.' });
    const badJson = await post('/api/services/light/turn_on', '{not json');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ message: 'Data should be valid JSON.' });
    const badData = await post('/api/services/light/turn_on', { entity_id: 'light.hall', brightness: 999 });
    expect([badData.status, await badData.text()]).toEqual([400, '400: Bad Request']);
    // Unknown entities are skipped, as HA does.
    expect(await json(await post('/api/services/light/turn_on', { entity_id: 'light.nowhere' }))).toEqual([]);
    expect(home.house.state('light.hall', now)?.state).toBe('off');
    expect((await mutations()).map((m) => [m['service'], m['outcome']])).toEqual([
      ['morning', 'ok'],
      ['teleport', 'error'],
      ['turn_on', 'error'],
      ['turn_on', 'error'],
      ['turn_on', 'error'],
      ['turn_on', 'ok'],
    ]);
  });

  it('writes, reads and deletes automation/script/scene configs; entities follow on the reload', async () => {
    const automation = { alias: 'Porch at night', triggers: [{ trigger: 'sun', event: 'sunset' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hall' } }] };
    expect(await json(await post('/api/config/automation/config/porch_night', automation))).toEqual({ result: 'ok' });
    expect(await json(await get('/api/config/automation/config/porch_night'))).toEqual({ id: 'porch_night', ...automation });
    await statusBecomes('/api/states/automation.porch_at_night', 200);
    expect(await json(await get('/api/states/automation.porch_at_night'))).toMatchObject({ state: 'on', attributes: { id: 'porch_night', friendly_name: 'Porch at night' } });
    const malformed = await post('/api/config/automation/config/broken', { alias: 'No triggers', actions: [] });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: "Message malformed: required key not provided @ data['triggers']" });
    expect(await json(await post('/api/config/script/config/wind_down', { alias: 'Wind down', sequence: [] }))).toEqual({ result: 'ok' });
    await statusBecomes('/api/states/script.wind_down', 200);
    expect(await json(await post('/api/config/scene/config/bright', { name: 'Bright', entities: { 'light.hall': 'on' } }))).toEqual({ result: 'ok' });
    await statusBecomes('/api/states/scene.bright', 200);

    const deleted = await request('DELETE', '/api/config/automation/config/porch_night');
    expect(await deleted.json()).toEqual({ result: 'ok' });
    await statusBecomes('/api/states/automation.porch_at_night', 404);
    // HA answers a missing config's DELETE with 400, not 404.
    const again = await request('DELETE', '/api/config/automation/config/porch_night');
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ message: 'Resource not found' });

    // Each accepted write is followed by HA's own call of the domain's reload service (automation's
    // with the written id); a refused write and a delete are not.
    expect((await mutations()).map((m) => (m['kind'] === 'service_call' ? [m['kind'], m['domain'], m['service'], m['service_data'], m['transport']] : [m['kind'], m['config_kind'], m['id'], m['outcome']]))).toEqual([
      ['config_write', 'automation', 'porch_night', 'ok'],
      ['service_call', 'automation', 'reload', { id: 'porch_night' }, 'internal'],
      ['config_write', 'automation', 'broken', 'error'],
      ['config_write', 'script', 'wind_down', 'ok'],
      ['service_call', 'script', 'reload', {}, 'internal'],
      ['config_write', 'scene', 'bright', 'ok'],
      ['service_call', 'scene', 'reload', {}, 'internal'],
      ['config_delete', 'automation', 'porch_night', 'ok'],
      ['config_delete', 'automation', 'porch_night', 'error'],
    ]);
  });

  it('sets states through POST /api/states/<entity_id> (201 when created), recorded', async () => {
    const created = await post('/api/states/sensor.aether_note', { state: 'hello', attributes: { friendly_name: 'Note' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ entity_id: 'sensor.aether_note', state: 'hello', attributes: { friendly_name: 'Note' } });
    const updated = await post('/api/states/light.hall', { state: 'on' });
    expect(updated.status).toBe(200);
    expect(await json(await get('/api/states/light.hall'))).toMatchObject({ state: 'on', attributes: { friendly_name: 'Hall Light' } });
    expect((await post('/api/states/light.hall', { attributes: {} })).status).toBe(400);
    expect((await json(await get('/api/states'))).length).toBe(17);
    expect((await mutations()).map((m) => [m['kind'], m['entity_id'], m['outcome']])).toEqual([
      ['state_write', 'sensor.aether_note', 'ok'],
      ['state_write', 'light.hall', 'ok'],
      ['state_write', 'light.hall', 'error'],
    ]);
  });

  it('fires events and records them', async () => {
    expect(await json(await post('/api/events/aether_test', { answer: 42 }))).toEqual({ message: 'Event aether_test fired.' });
    expect(await mutations()).toEqual([expect.objectContaining({ kind: 'event_fire', event_type: 'aether_test', event_data: { answer: 42 }, outcome: 'ok' })]);
  });
});

describe('startDemoHome with a fixture', () => {
  it('loads a fixture file by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-fixture-'));
    const path = join(dir, 'home.json');
    writeFileSync(path, JSON.stringify(smallHomeFixture()));
    const home = await startDemoHome({ fixture: path });
    try {
      const response = await fetch(`${home.url}/api/config`, { headers: { Authorization: `Bearer ${home.token}` } });
      expect(await response.json()).toMatchObject({ location_name: 'Fixture Cottage' });
    } finally {
      await home.stop();
    }
  });

  it('refuses a malformed fixture with the reason, without listening', async () => {
    await expect(startDemoHome({ fixture: { states: [{ entity_id: 'nope', state: 'on' }] } })).rejects.toThrow(FixtureError);
    await expect(startDemoHome({ fixture: { states: [{ entity_id: 'nope', state: 'on' }] } })).rejects.toThrow('fixture: states.0.entity_id: not a valid entity id');
  });

  it('serves 2,000+ entities quickly over REST, and calls services on them', async () => {
    const started = performance.now();
    const home = await startDemoHome({ fixture: largeHomeFixture(2400) });
    try {
      const headers = { Authorization: `Bearer ${home.token}` };
      const states = (await (await fetch(`${home.url}/api/states`, { headers })).json()) as unknown[];
      expect(states).toHaveLength(2400);
      const changed = (await (
        await fetch(`${home.url}/api/services/light/turn_on`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ area_id: 'area_1' }) })
      ).json()) as Array<{ entity_id: string; state: string }>;
      // area_1 holds entities 1, 26, 51…; the lights among them (index % 4 == 1) that were off are now on.
      expect(changed.length).toBeGreaterThan(10);
      expect(changed.every((state) => state.entity_id.startsWith('light.') && state.state === 'on')).toBe(true);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await home.stop();
    }
  });
});
