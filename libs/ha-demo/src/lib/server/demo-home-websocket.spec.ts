import { once } from 'node:events';
import { createConnection, createLongLivedTokenAuth, subscribeEntities, type Connection, type HassEntities } from 'home-assistant-js-websocket';
import { WebSocket } from 'ws';
import { smallHomeFixture } from '../fixture/small-home.fixture';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

const NOW = Date.parse('2026-11-29T13:00:00Z');
const DEADLINE_MS = 3_000;

type Message = Record<string, unknown>;

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

/**
 * A raw, authenticated WebSocket client. `command` answers with the command's result; subscription
 * events (HA sends a call's state_changed events before its result) wait in order for `next()`.
 */
async function connect(home: RunningDemoHome) {
  const ws = new WebSocket(`${home.url.replace('http', 'ws')}/api/websocket`);
  sockets.push(ws);
  const queue: Message[] = [];
  const waiters: Array<(message: Message) => void> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Message;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  await once(ws, 'open');
  const read = () => {
    const queued = queue.shift();
    return queued ? Promise.resolve(queued) : new Promise<Message>((resolve) => waiters.push(resolve));
  };
  expect(await read()).toMatchObject({ type: 'auth_required' });
  ws.send(JSON.stringify({ type: 'auth', access_token: home.token }));
  expect(await read()).toMatchObject({ type: 'auth_ok' });
  const events: Message[] = [];
  const eventWaiters: Array<(message: Message) => void> = [];
  const deliver = (event: Message) => {
    const waiter = eventWaiters.shift();
    if (waiter) waiter(event);
    else events.push(event);
  };
  let id = 0;
  const command = async (message: Message) => {
    const sent = ++id;
    ws.send(JSON.stringify({ id: sent, ...message }));
    for (;;) {
      const reply = await read();
      if (reply['type'] === 'event') deliver(reply);
      else {
        expect(reply['id']).toBe(sent);
        return reply;
      }
    }
  };
  const next = async () => {
    const queued = events.shift();
    if (queued) return queued;
    const pending = new Promise<Message>((resolve) => eventWaiters.push(resolve));
    // Events that arrive outside a command are read here.
    void read().then((message) => deliver(message));
    return pending;
  };
  return { ws, next, command, pending: () => events.length + queue.length };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('demo home WebSocket API (fixture house)', () => {
  let home: RunningDemoHome;
  let now = NOW;

  beforeEach(async () => {
    now = NOW;
    home = await startDemoHome({ fixture: smallHomeFixture(), now: () => now });
  });
  afterEach(() => home.stop());

  it('answers the read commands with HA’s shapes and records no mutation', async () => {
    const { ws, command } = await connect(home);
    expect(((await command({ type: 'get_states' }))['result'] as unknown[]).length).toBe(16);
    expect(await command({ type: 'get_config' })).toMatchObject({ success: true, result: { location_name: 'Fixture Cottage' } });
    expect(await command({ type: 'get_services' })).toMatchObject({ result: { light: { turn_on: expect.any(Object) }, script: { morning: { response: { optional: true } } } } });
    expect(await command({ type: 'config/entity_registry/list' })).toMatchObject({ result: expect.arrayContaining([expect.objectContaining({ entity_id: 'light.kitchen', area_id: 'kitchen' })]) });
    expect(await command({ type: 'config/device_registry/list' })).toMatchObject({ result: [expect.objectContaining({ id: 'dev_kitchen_light' }), expect.any(Object)] });
    expect(await command({ type: 'config/area_registry/list' })).toMatchObject({ result: [expect.objectContaining({ area_id: 'kitchen', name: 'Kitchen' }), expect.any(Object)] });
    expect(await command({ type: 'config/floor_registry/list' })).toMatchObject({ result: [{ floor_id: 'ground', name: 'Ground', level: null, icon: null, aliases: [] }] });
    expect(await command({ type: 'recorder/list_statistic_ids', statistic_type: 'sum' })).toMatchObject({ result: [expect.objectContaining({ statistic_id: 'sensor.grid_energy' })] });
    expect(await command({ type: 'recorder/list_statistic_ids', statistic_type: 'mean' })).toMatchObject({ result: [] });
    const stats = await command({ type: 'recorder/statistics_during_period', start_time: '2026-11-29T00:00:00Z', statistic_ids: ['sensor.grid_energy'], period: 'hour', types: ['sum'] });
    expect(stats['result']).toEqual({ 'sensor.grid_energy': [0, 1, 2].map((h) => ({ start: NOW - (5 - h) * 3_600_000, end: NOW - (4 - h) * 3_600_000, sum: [30, 32, 34.5][h] })) });
    // `units` converts to the requested unit of the statistic's unit class.
    const inWh = await command({ type: 'recorder/statistics_during_period', start_time: '2026-11-29T00:00:00Z', statistic_ids: ['sensor.grid_energy'], period: 'hour', types: ['sum'], units: { energy: 'Wh' } });
    expect((inWh['result'] as Record<string, Array<{ sum: number }>>)['sensor.grid_energy'].map((row) => row.sum)).toEqual([30_000, 32_000, 34_500]);
    expect(await command({ type: 'recorder/statistics_during_period', start_time: '2026-11-29T00:00:00Z', period: 'hour' })).toMatchObject({
      success: false,
      error: { code: 'invalid_format', message: "required key not provided @ data['statistic_ids']" },
    });
    expect(await command({ type: 'recorder/statistics_during_period', start_time: '2026-11-29T00:00:00Z', statistic_ids: ['sensor.grid_energy'], period: 'hour', units: { energy: 'horsepower' } })).toMatchObject({
      error: { code: 'invalid_format', message: "value must be one of ['Wh', 'kWh', 'MWh', 'MJ', 'GJ'] for dictionary value @ data['units']['energy']" },
    });
    expect(await command({ type: 'energy/get_prefs' })).toMatchObject({ result: { energy_sources: [expect.objectContaining({ type: 'grid' })] } });
    const logbook = await command({ type: 'logbook/get_events', start_time: '2026-11-29T09:30:00Z', entity_ids: ['sensor.kitchen_temperature'] });
    expect(logbook['result']).toEqual([
      expect.objectContaining({ when: Date.parse('2026-11-29T10:00:00Z') / 1000, state: '20.8' }),
      expect.objectContaining({ when: Date.parse('2026-11-29T12:00:00Z') / 1000, state: '21.5' }),
    ]);
    // `device_ids` selects device events, not the state changes of the device's entities: there are none here.
    const byDevice = await command({ type: 'logbook/get_events', start_time: '2026-11-29T09:30:00Z', device_ids: ['dev_kitchen_sensor'] });
    expect(byDevice['result']).toEqual([]);
    expect(await command({ type: 'lovelace/config' })).toEqual(expect.objectContaining({ success: false, error: { code: 'config_not_found', message: 'No config found.' } }));
    expect(await command({ type: 'config_entries/get' })).toMatchObject({ result: [expect.objectContaining({ entry_id: 'entry_hue' })] });
    expect(home.mutations()).toEqual([]);
    ws.close();
  });

  it('answers HA’s error codes', async () => {
    const { ws, command } = await connect(home);
    expect(await command({ type: 'recorder/statistics_during_period', start_time: 'nope', statistic_ids: ['sensor.grid_energy'], period: 'hour' })).toMatchObject({ success: false, error: { code: 'invalid_start_time', message: 'Invalid start_time' } });
    expect(await command({ type: 'recorder/statistics_during_period', start_time: '2026-11-29T00:00:00Z', statistic_ids: ['sensor.grid_energy'], period: 'fortnight' })).toMatchObject({ error: { code: 'invalid_format' } });
    expect(await command({ type: 'logbook/get_events' })).toMatchObject({ error: { code: 'invalid_format', message: "required key not provided @ data['start_time']" } });
    expect(await command({ type: 'call_service', domain: 'light', service: 'teleport' })).toMatchObject({ error: { code: 'not_found', message: 'Service light.teleport not found.' } });
    expect(await command({ type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 'max' }, target: { entity_id: 'light.hall' } })).toMatchObject({ error: { code: 'invalid_format' } });
    expect(await command({ type: 'call_service', domain: 'input_select', service: 'select_option', service_data: { option: 'Mars' }, target: { entity_id: 'input_select.house_mode' } })).toMatchObject({
      error: { code: 'service_validation_error' },
    });
    expect(await command({ type: 'unsubscribe_events', subscription: 99 })).toMatchObject({ error: { code: 'not_found', message: 'Subscription not found.' } });
    expect(await command({ type: 'lovelace/config', url_path: 'energy-board' })).toMatchObject({ error: { code: 'config_not_found' } });
    expect(await command({ type: 'teleport' })).toMatchObject({ error: { code: 'unknown_command', message: 'Unknown command.' } });
    ws.close();
  });

  it('reports no energy prefs as not_found', async () => {
    const fixture = smallHomeFixture();
    delete fixture['energy_prefs'];
    const bare = await startDemoHome({ fixture });
    try {
      const { ws, command } = await connect(bare);
      expect(await command({ type: 'energy/get_prefs' })).toMatchObject({ success: false, error: { code: 'not_found', message: 'No prefs' } });
      ws.close();
    } finally {
      await bare.stop();
    }
  });

  it('calls services, saves the dashboard and fires events — each one recorded', async () => {
    const { ws, command } = await connect(home);
    const called = await command({ type: 'call_service', domain: 'cover', service: 'open_cover', target: { entity_id: 'cover.garage' } });
    expect(called).toMatchObject({ success: true, result: { context: { id: expect.any(String), parent_id: null, user_id: null } } });
    expect(called['result']).not.toHaveProperty('response');
    expect(home.house.state('cover.garage', now)).toMatchObject({ state: 'open', context: (called['result'] as { context: unknown }).context });
    expect(await command({ type: 'call_service', domain: 'script', service: 'morning', return_response: true })).toMatchObject({ result: { context: expect.any(Object), response: {} } });

    const dashboard = { title: 'Home', views: [{ title: 'Main', cards: [{ type: 'entities', entities: ['light.kitchen'] }] }] };
    expect(await command({ type: 'lovelace/config/save', config: dashboard })).toEqual(expect.objectContaining({ success: true, result: null }));
    expect(await command({ type: 'lovelace/config' })).toMatchObject({ result: dashboard });
    expect(await command({ type: 'lovelace/config/save', config: { title: 'no views' } })).toMatchObject({ error: { code: 'invalid_format' } });
    expect(await command({ type: 'fire_event', event_type: 'aether_ping', event_data: { n: 1 } })).toMatchObject({ result: { context: expect.any(Object) } });

    expect(home.mutations().map((m) => [m.kind, m.outcome, m['transport']])).toEqual([
      ['service_call', 'ok', 'websocket'],
      ['service_call', 'ok', 'websocket'],
      ['lovelace_save', 'ok', 'websocket'],
      ['lovelace_save', 'error', 'websocket'],
      ['event_fire', 'ok', 'websocket'],
    ]);
    expect(home.mutations()[2]).toMatchObject({ config: dashboard });
    ws.close();
  });

  it('creates, lists, saves, reads back and deletes dashboards as HA’s lovelace component does — each write recorded', async () => {
    const { ws, command } = await connect(home);
    expect(await command({ type: 'lovelace/dashboards/list' })).toMatchObject({ success: true, result: [] });
    expect(await command({ type: 'lovelace/dashboards/create', url_path: 'energy', title: 'Energy' })).toMatchObject({
      success: false,
      error: { code: 'invalid_format', message: "Url path needs to contain a hyphen (-). Got {'url_path': 'energy', 'title': 'Energy'}" },
    });
    expect(await command({ type: 'lovelace/dashboards/create', title: 'No path' })).toMatchObject({ error: { code: 'invalid_format', message: "required key not provided @ data['url_path']" } });
    const item = { id: 'energy-board', url_path: 'energy-board', title: 'Energy', icon: 'mdi:lightning-bolt', show_in_sidebar: true, require_admin: false, mode: 'storage' };
    expect(await command({ type: 'lovelace/dashboards/create', url_path: 'energy-board', title: 'Energy', icon: 'mdi:lightning-bolt' })).toEqual(expect.objectContaining({ success: true, result: item }));
    expect(await command({ type: 'lovelace/dashboards/create', url_path: 'energy-board', title: 'Again' })).toMatchObject({ error: { code: 'invalid_format', message: expect.stringMatching(/^Panel url path needs to be unique/) } });
    expect(await command({ type: 'lovelace/dashboards/list' })).toMatchObject({ result: [item] });

    // A new dashboard has no config until one is saved; an unknown one is unknown.
    expect(await command({ type: 'lovelace/config', url_path: 'energy-board' })).toMatchObject({ error: { code: 'config_not_found', message: 'No config found.' } });
    expect(await command({ type: 'lovelace/config', url_path: 'nope-board' })).toMatchObject({ error: { code: 'config_not_found', message: 'Unknown config specified: nope-board' } });
    const config = { title: 'Energy', views: [{ type: 'sections', sections: [{ type: 'grid', cards: [{ type: 'energy-usage-graph' }] }] }] };
    expect(await command({ type: 'lovelace/config/save', url_path: 'energy-board', config })).toMatchObject({ success: true, result: null });
    expect(await command({ type: 'lovelace/config', url_path: 'energy-board' })).toMatchObject({ result: config });
    expect(await command({ type: 'lovelace/config' })).toMatchObject({ error: { code: 'config_not_found', message: 'No config found.' } });
    expect(await command({ type: 'lovelace/config/delete', url_path: 'energy-board' })).toMatchObject({ success: true, result: null });
    expect(await command({ type: 'lovelace/config', url_path: 'energy-board' })).toMatchObject({ error: { code: 'config_not_found', message: 'No config found.' } });
    expect(await command({ type: 'lovelace/dashboards/delete', dashboard_id: 'energy-board' })).toMatchObject({ success: true, result: null });
    expect(await command({ type: 'lovelace/dashboards/delete', dashboard_id: 'energy-board' })).toMatchObject({ error: { code: 'not_found', message: 'Unable to find dashboard_id energy-board' } });
    expect(await command({ type: 'lovelace/dashboards/list' })).toMatchObject({ result: [] });

    expect(home.mutations().map((m) => `${m.kind}:${m.outcome}`)).toEqual([
      'dashboard_create:error',
      'dashboard_create:error',
      'dashboard_create:ok',
      'dashboard_create:error',
      'lovelace_save:ok',
      'lovelace_delete:ok',
      'dashboard_delete:ok',
      'dashboard_delete:error',
    ]);
    ws.close();
  });

  it('pushes state_changed events to subscribe_events until unsubscribed', async () => {
    const { ws, command, next, pending } = await connect(home);
    expect(await command({ type: 'subscribe_events', event_type: 'state_changed' })).toEqual({ id: 1, type: 'result', success: true, result: null });
    const called = await command({ type: 'call_service', domain: 'lock', service: 'unlock', target: { entity_id: 'lock.front_door' } });
    const event = await next();
    expect(event).toMatchObject({
      id: 1,
      type: 'event',
      event: {
        event_type: 'state_changed',
        origin: 'LOCAL',
        data: { entity_id: 'lock.front_door', old_state: { state: 'locked' }, new_state: { state: 'unlocked' } },
        context: (called['result'] as { context: unknown }).context,
      },
    });
    expect(await command({ type: 'unsubscribe_events', subscription: 1 })).toMatchObject({ success: true, result: null });
    await command({ type: 'call_service', domain: 'lock', service: 'lock', target: { entity_id: 'lock.front_door' } });
    expect(await command({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(pending()).toBe(0);
    ws.close();
  });

  it('subscribe_entities: all states first, then compressed diffs and removals', async () => {
    const { ws, command, next } = await connect(home);
    expect(await command({ type: 'subscribe_entities', entity_ids: ['light.hall', 'automation.evening_lights'] })).toMatchObject({ success: true, result: null });
    const first = await next();
    expect(Object.keys((first['event'] as { a: Record<string, unknown> }).a).sort()).toEqual(['automation.evening_lights', 'light.hall']);
    expect((first['event'] as { a: Record<string, unknown> }).a['light.hall']).toEqual({
      s: 'off',
      a: { friendly_name: 'Hall Light' },
      c: expect.any(String),
      lc: Date.parse('2026-11-28T23:10:00Z') / 1000,
    });
    now += 1_000;
    await command({ type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 90 }, target: { entity_id: 'light.hall' } });
    // Only attributes change: no "s", no "lc", a new last_updated ("lu").
    now += 1_000;
    await command({ type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 91 }, target: { entity_id: 'light.hall' } });
    const diff = await next();
    expect(diff['event']).toEqual({ c: { 'light.hall': { '+': { s: 'on', lc: (NOW + 1_000) / 1000, c: expect.any(String), a: { brightness: 90 } } } } });
    expect((await next())['event']).toEqual({ c: { 'light.hall': { '+': { lu: (NOW + 2_000) / 1000, c: expect.any(String), a: { brightness: 91 } } } } });
    now += 1_000;
    await command({ type: 'call_service', domain: 'light', service: 'turn_off', target: { entity_id: 'light.hall' } });
    expect((await next())['event']).toEqual({ c: { 'light.hall': { '+': { s: 'off', lc: (NOW + 3_000) / 1000, c: expect.any(String), a: { brightness: null } } } } });
    await fetch(`${home.url}/api/config/automation/config/evening_lights`, { method: 'DELETE', headers: { Authorization: `Bearer ${home.token}` } });
    expect((await next())['event']).toEqual({ r: ['automation.evening_lights'] });
    ws.close();
  });
});

describe('subscribeEntities (home-assistant-js-websocket) against the demo home', () => {
  let home: RunningDemoHome;
  let connection: Connection;
  const NativeWebSocket = globalThis.WebSocket;

  beforeAll(async () => {
    home = await startDemoHome({ fixture: smallHomeFixture() });
    globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
    connection = await createConnection({ auth: createLongLivedTokenAuth(home.url, home.token) });
  });
  afterAll(async () => {
    connection.close();
    globalThis.WebSocket = NativeWebSocket;
    await home.stop();
  });

  it('keeps the library’s entity store in step with service calls, config writes and deletes', async () => {
    let entities: HassEntities = {};
    const unsubscribe = subscribeEntities(connection, (update) => {
      entities = update;
    });
    try {
      await waitFor(() => Object.keys(entities).length === 16, 'the initial states');
      expect(entities['light.kitchen']).toMatchObject({ entity_id: 'light.kitchen', state: 'on', attributes: { brightness: 128 }, last_changed: '2026-11-29T06:30:00.000Z' });

      const headers = { Authorization: `Bearer ${home.token}`, 'Content-Type': 'application/json' };
      const changed = (await (
        await fetch(`${home.url}/api/services/light/turn_off`, { method: 'POST', headers, body: JSON.stringify({ entity_id: 'light.kitchen' }) })
      ).json()) as Array<{ context: { id: string }; last_changed: string }>;
      await waitFor(() => entities['light.kitchen']?.state === 'off', 'the light to turn off');
      expect(entities['light.kitchen'].context.id).toBe(changed[0].context.id);
      expect(Date.parse(entities['light.kitchen'].last_changed)).toBe(Date.parse(changed[0].last_changed));
      expect(entities['light.kitchen'].attributes['brightness']).toBeNull();

      await fetch(`${home.url}/api/config/script/config/wind_down`, { method: 'POST', headers, body: JSON.stringify({ alias: 'Wind down', sequence: [] }) });
      await waitFor(() => entities['script.wind_down'] !== undefined, 'the new script');
      expect(entities['script.wind_down'].attributes['friendly_name']).toBe('Wind down');

      await fetch(`${home.url}/api/config/script/config/wind_down`, { method: 'DELETE', headers });
      await waitFor(() => entities['script.wind_down'] === undefined, 'the script to go');
    } finally {
      unsubscribe();
    }
  });
});
