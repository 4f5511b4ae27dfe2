import { FakeHomeAssistant } from '../testing/fake-home-assistant.server';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantError } from './home-assistant.client';
import type { HttpHomeAssistantClient } from './http-home-assistant.client';

// The WebSocket commands against a scripted loopback HA: the messages sent, and how results and
// HA's `success: false` answers come back.

const TOKEN = 'good-token';

async function failure(promise: Promise<unknown>): Promise<HomeAssistantError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomeAssistantError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('HttpHomeAssistantClient WebSocket commands', () => {
  let ha: FakeHomeAssistant;
  let client: HttpHomeAssistantClient;

  beforeEach(async () => {
    ha = await FakeHomeAssistant.start(TOKEN);
    client = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 2_000 });
  });
  afterEach(async () => {
    await client.close();
    await ha.stop();
  });

  /** The last command HA received, without the library's `id`. */
  const lastCommand = () => {
    const { id: _id, ...rest } = ha.commands[ha.commands.length - 1];
    return rest;
  };

  it('reads services and the four registries over one connection', async () => {
    const services = { light: { turn_on: { name: 'Turn on', description: '', fields: {} } } };
    const entities = [
      { entity_id: 'light.kitchen', id: 'e1', platform: 'hue', config_entry_id: '01JA', device_id: 'd1', area_id: null, name: null, icon: null, disabled_by: null, hidden_by: null, entity_category: null, has_entity_name: true, labels: [], categories: {} },
    ];
    const devices = [{ id: 'd1', name: 'Kitchen lamp', name_by_user: null, area_id: 'kitchen', manufacturer: 'Signify', model: 'LCA001', config_entries: ['01JA'] }];
    const areas = [{ area_id: 'kitchen', name: 'Kitchen', floor_id: 'ground', icon: null, picture: null, aliases: [], labels: [] }];
    const floors = [{ floor_id: 'ground', name: 'Ground floor', level: 0, icon: null, aliases: [] }];
    ha.ws.set('get_services', () => ({ result: services }));
    ha.ws.set('config/entity_registry/list', () => ({ result: entities }));
    ha.ws.set('config/device_registry/list', () => ({ result: devices }));
    ha.ws.set('config/area_registry/list', () => ({ result: areas }));
    ha.ws.set('config/floor_registry/list', () => ({ result: floors }));

    expect(await client.getServicesViaWebSocket()).toEqual(services);
    expect(await client.getEntityRegistry()).toEqual(entities);
    expect(await client.getDeviceRegistry()).toEqual(devices);
    expect(await client.getAreaRegistry()).toEqual(areas);
    expect(await client.getFloorRegistry()).toEqual(floors);
    expect(ha.commands.map((command) => command['type'])).toEqual([
      'get_services',
      'config/entity_registry/list',
      'config/device_registry/list',
      'config/area_registry/list',
      'config/floor_registry/list',
    ]);
    expect(ha.wsConnections).toBe(1);
  });

  it('asks for long-term statistics with ISO times, ids, period, types and units', async () => {
    const rows = { 'sensor.mains_energy': [{ start: 1_764_000_000_000, end: 1_764_003_600_000, change: 1.2, sum: 100.5 }] };
    ha.ws.set('recorder/statistics_during_period', () => ({ result: rows }));
    const start = new Date('2026-11-28T00:00:00Z');
    const end = new Date('2026-11-29T00:00:00Z');
    const result = await client.getStatisticsDuringPeriod({
      start,
      end,
      statisticIds: ['sensor.mains_energy'],
      period: 'hour',
      types: ['change', 'sum'],
      units: { energy: 'kWh' },
    });
    expect(result).toEqual(rows);
    expect(lastCommand()).toEqual({
      type: 'recorder/statistics_during_period',
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      statistic_ids: ['sensor.mains_energy'],
      period: 'hour',
      types: ['change', 'sum'],
      units: { energy: 'kWh' },
    });

    await client.getStatisticsDuringPeriod({ start, statisticIds: ['sensor.mains_energy'], period: 'day' });
    expect(lastCommand()).toEqual({ type: 'recorder/statistics_during_period', start_time: start.toISOString(), statistic_ids: ['sensor.mains_energy'], period: 'day' });
  });

  it('lists statistic ids, optionally of one type', async () => {
    const ids = [{ statistic_id: 'sensor.mains_energy', display_unit_of_measurement: 'kWh', has_mean: false, mean_type: 0, has_sum: true, name: null, source: 'recorder', statistics_unit_of_measurement: 'kWh', unit_class: 'energy' }];
    ha.ws.set('recorder/list_statistic_ids', () => ({ result: ids }));
    expect(await client.listStatisticIds('sum')).toEqual(ids);
    expect(lastCommand()).toEqual({ type: 'recorder/list_statistic_ids', statistic_type: 'sum' });
    await client.listStatisticIds();
    expect(lastCommand()).toEqual({ type: 'recorder/list_statistic_ids' });
  });

  it('reads logbook events for entities and devices', async () => {
    const events = [{ when: 1_764_406_800.5, name: 'Kitchen', state: 'on', entity_id: 'light.kitchen', context_user_id: null }];
    ha.ws.set('logbook/get_events', () => ({ result: events }));
    const start = new Date('2026-11-29T09:00:00Z');
    const end = new Date('2026-11-29T10:00:00Z');
    expect(await client.getLogbookEvents({ start, end, entityIds: ['light.kitchen'], deviceIds: ['d1'] })).toEqual(events);
    expect(lastCommand()).toEqual({ type: 'logbook/get_events', start_time: start.toISOString(), end_time: end.toISOString(), entity_ids: ['light.kitchen'], device_ids: ['d1'] });
  });

  it('reads a dashboard, null when HA has no config for it, and saves one', async () => {
    const dashboard = { title: 'Home', views: [{ title: 'Kitchen', cards: [] }] };
    ha.ws.set('lovelace/config', (message) =>
      message['url_path'] === 'energy-board'
        ? { result: dashboard }
        : { error: { code: 'config_not_found', message: 'No config found.' } },
    );
    ha.ws.set('lovelace/config/save', () => ({ result: null }));
    expect(await client.getLovelaceConfig('energy-board')).toEqual(dashboard);
    expect(lastCommand()).toEqual({ type: 'lovelace/config', url_path: 'energy-board', force: false });
    expect(await client.getLovelaceConfig()).toBeNull();
    expect(lastCommand()).toEqual({ type: 'lovelace/config', url_path: null, force: false });

    await client.saveLovelaceConfig(dashboard, 'energy-board');
    expect(lastCommand()).toEqual({ type: 'lovelace/config/save', config: dashboard, url_path: 'energy-board' });
  });

  it('lists, creates and deletes dashboards and deletes a config with HA’s command shapes; refuses a malformed list', async () => {
    const item = { id: 'energy-board', url_path: 'energy-board', title: 'Energy', show_in_sidebar: true, require_admin: false, mode: 'storage' };
    ha.ws.set('lovelace/dashboards/list', () => ({ result: [item] }));
    ha.ws.set('lovelace/dashboards/create', () => ({ result: item }));
    ha.ws.set('lovelace/dashboards/delete', () => ({ result: null }));
    ha.ws.set('lovelace/config/delete', () => ({ result: null }));
    expect(await client.listLovelaceDashboards()).toEqual([item]);
    expect(lastCommand()).toEqual({ type: 'lovelace/dashboards/list' });
    expect(await client.createLovelaceDashboard({ url_path: 'energy-board', title: 'Energy', icon: 'mdi:flash' })).toEqual(item);
    expect(lastCommand()).toEqual({ type: 'lovelace/dashboards/create', url_path: 'energy-board', title: 'Energy', icon: 'mdi:flash' });
    await client.deleteLovelaceDashboard('energy-board');
    expect(lastCommand()).toEqual({ type: 'lovelace/dashboards/delete', dashboard_id: 'energy-board' });
    await client.deleteLovelaceConfig('energy-board');
    expect(lastCommand()).toEqual({ type: 'lovelace/config/delete', url_path: 'energy-board' });

    ha.ws.set('lovelace/dashboards/list', () => ({ result: [{ url_path: 'x' }] }));
    expect((await failure(client.listLovelaceDashboards())).kind).toBe('protocol');
  });

  it('accepts a strategy dashboard, which has no views', async () => {
    ha.ws.set('lovelace/config', () => ({ result: { strategy: { type: 'original-states' } } }));
    expect(await client.getLovelaceConfig()).toEqual({ strategy: { type: 'original-states' } });
  });

  it("turns HA's success:false into typed errors naming the command and HA's code and message", async () => {
    ha.ws.set('lovelace/config/save', () => ({ error: { code: 'unauthorized', message: 'Unauthorized' } }));
    ha.ws.set('recorder/list_statistic_ids', () => ({ error: { code: 'home_assistant_error', message: 'Recorder not ready' } }));

    const unauthorized = await failure(client.saveLovelaceConfig({ views: [] }));
    expect(unauthorized.kind).toBe('auth');
    expect(unauthorized.message).toContain('lovelace/config/save (unauthorized: Unauthorized)');

    const refused = await failure(client.listStatisticIds());
    expect(refused.kind).toBe('protocol');
    expect(refused.message).toBe(`Home Assistant at ${ha.url} refused recorder/list_statistic_ids: home_assistant_error: Recorder not ready`);

    const unknown = await failure(client.getFloorRegistry());
    expect(unknown.kind).toBe('protocol');
    expect(unknown.message).toContain('refused config/floor_registry/list: unknown_command: Unknown command.');
    expect(unknown.message).toContain('lacks the integration');
    // A refused command leaves the connection usable.
    expect(ha.wsConnections).toBe(1);
  });

  it('rejects results without the fields Aether relies on', async () => {
    ha.ws.set('config/entity_registry/list', () => ({ result: [{ entity_id: 'light.kitchen' }] }));
    ha.ws.set('recorder/statistics_during_period', () => ({ result: { 'sensor.x': [{ start: '2026-11-29T00:00:00Z', end: 1 }] } }));
    const registry = await failure(client.getEntityRegistry());
    expect(registry.kind).toBe('protocol');
    expect(registry.message).toContain('config/entity_registry/list: 0.platform');
    const statistics = await failure(client.getStatisticsDuringPeriod({ start: new Date(), statisticIds: ['sensor.x'], period: 'hour' }));
    expect(statistics.message).toContain('sensor.x.0.start');
  });

  it('times out a command HA leaves unanswered', async () => {
    const impatient = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 300 });
    ha.ws.set('logbook/get_events', () => 'silence');
    try {
      const error = await failure(impatient.getLogbookEvents({ start: new Date() }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('logbook/get_events within 300 ms');
    } finally {
      await impatient.close();
    }
  });

  it('reports a refused token as an auth error', async () => {
    const stranger = createHomeAssistantClient({ url: ha.url, token: 'wrong', timeoutMs: 2_000 });
    try {
      const error = await failure(stranger.getAreaRegistry());
      expect(error.kind).toBe('auth');
      expect(error.message).toContain('config/area_registry/list (WebSocket auth_invalid)');
    } finally {
      await stranger.close();
    }
  });
});

describe('HttpHomeAssistantClient call observer (metrics)', () => {
  it('tells every REST and WebSocket call, named without ids, with its duration and outcome', async () => {
    const ha = await FakeHomeAssistant.start(TOKEN);
    const calls: Array<[string, string]> = [];
    const client = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 2_000, onCall: (call, seconds, outcome) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      calls.push([call, outcome]);
    } });
    try {
      ha.ws.set('get_services', () => ({ result: {} }));
      ha.ws.set('config/entity_registry/list', () => ({ success: false, error: { code: 'unauthorized', message: 'Unauthorized' } }));
      await client.getServicesViaWebSocket();
      await failure(client.getEntityRegistry());
      await client.getState('light.kitchen').catch(() => undefined);
      expect(calls[0]).toEqual(['get_services', 'ok']);
      expect(calls[1][0]).toBe('config/entity_registry/list');
      expect(calls[1][1]).not.toBe('ok');
      expect(calls[2][0]).toBe('GET /api/states/{entity_id}');
    } finally {
      await client.close();
      await ha.stop();
    }
  });

  it('names REST calls by their path template', async () => {
    const { restCallName } = await import('./http-home-assistant.client');
    expect(restCallName({ method: 'GET', path: '/api/history/period/2026-12-01T00:00:00Z?filter_entity_id=a,b' })).toBe('GET /api/history/period/{start}');
    expect(restCallName({ method: 'POST', path: '/api/config/automation/config/1716212187456' })).toBe('POST /api/config/automation/config/{id}');
    expect(restCallName({ method: 'POST', path: '/api/services/light/turn_on' })).toBe('POST /api/services/light/turn_on');
    expect(restCallName({ method: 'GET', path: '/api/states' })).toBe('GET /api/states');
  });
});
