import { createHomeAssistantClient, deleteConfigAndAwaitRemoval, HomeAssistantError, saveConfigAndAwaitEntity, type HttpHomeAssistantClient } from '@aether/home-assistant';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

// The demo home must be indistinguishable from HA for Aether's real client (REST via fetch,
// WebSocket via home-assistant-js-websocket).

const TIMEOUT_MS = 2_000;

async function failure(promise: Promise<unknown>): Promise<HomeAssistantError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomeAssistantError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('HttpHomeAssistantClient against the demo home', () => {
  let home: RunningDemoHome;
  let client: HttpHomeAssistantClient;

  beforeAll(async () => {
    home = await startDemoHome();
    client = createHomeAssistantClient({ url: `${home.url}/`, token: home.token, timeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await client.close();
    await home.stop();
  });

  it('pings and reads the core config over REST', async () => {
    expect(client.baseUrl).toBe(home.url);
    expect(await client.ping()).toEqual({ message: 'API running.' });
    const config = await client.getConfig();
    expect(config.time_zone).toBe('Europe/Dublin');
    expect(config.currency).toBe('EUR');
    expect(config.location_name).toBe('Aether Demo Home');
  });

  it('reads all states, one state, and null for an unknown entity', async () => {
    const states = await client.getStates();
    expect(states.length).toBeGreaterThan(20);
    const mains = await client.getState('sensor.mains_energy');
    expect(mains).toMatchObject({ entity_id: 'sensor.mains_energy', attributes: { device_class: 'energy', unit_of_measurement: 'kWh' } });
    expect(Number(mains?.state)).toBeGreaterThan(0);
    expect(await client.getState('sensor.not_there')).toBeNull();
  });

  it('reads history with HA’s flags', async () => {
    const start = new Date(Date.now() - 6 * 3_600_000);
    const end = new Date(Date.now() - 3_600_000);
    const history = await client.getHistory({
      start,
      end,
      entityIds: ['sensor.mains_energy', 'sensor.heat_pump_energy'],
      minimalResponse: true,
      noAttributes: true,
      significantChangesOnly: true,
    });
    expect(history.map((series) => series[0].entity_id)).toEqual(['sensor.mains_energy', 'sensor.heat_pump_energy']);
    expect(Date.parse(history[0][0].last_changed)).toBe(start.getTime());
    expect(history[0][0].attributes).toEqual({});
    expect(Object.keys(history[0][1]).sort()).toEqual(['last_changed', 'state']);
    expect(Date.parse(history[0][history[0].length - 1].last_changed)).toBeLessThan(end.getTime());
    expect(await client.getHistory({ start, entityIds: [] })).toEqual([]);

    // The same answer undecoded, as the energy analyst hands it to a worker thread.
    const query = { start, end, entityIds: ['sensor.mains_energy', 'sensor.heat_pump_energy'], minimalResponse: true, noAttributes: true };
    const raw = await client.getRawHistory(query);
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(raw))).toEqual(await client.getHistory(query));
    expect(new TextDecoder().decode(await client.getRawHistory({ start, entityIds: [] }))).toBe('[]');
  });

  it('reads the energy preferences and states over one reused WebSocket connection', async () => {
    const NativeWebSocket = globalThis.WebSocket;
    let opened = 0;
    // Count the sockets home-assistant-js-websocket opens (it uses the global WebSocket).
    globalThis.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        opened++;
      }
    };
    const fresh = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: TIMEOUT_MS });
    try {
      const prefs = await fresh.getEnergyPrefs();
      expect(prefs?.energy_sources[0]).toMatchObject({ type: 'grid', stat_energy_from: 'sensor.mains_energy', stat_energy_to: 'sensor.grid_export_energy' });
      expect(prefs?.device_consumption.length).toBeGreaterThanOrEqual(8);
      const states = await fresh.getStatesViaWebSocket();
      expect(states.find((s) => s.entity_id === 'sensor.mains_energy')).toBeDefined();
      expect(await fresh.sendWebSocketCommand({ type: 'get_config' })).toMatchObject({ time_zone: 'Europe/Dublin' });
      expect(opened).toBe(1);
    } finally {
      globalThis.WebSocket = NativeWebSocket;
      await fresh.close();
    }
  });

  it('reports a command HA does not know as a protocol error', async () => {
    const error = await failure(client.sendWebSocketCommand({ type: 'lovelace/teleport' }));
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('unknown_command');
  });

  it('rejects a wrong token as kind "auth" over REST and over WebSocket', async () => {
    const wrong = createHomeAssistantClient({ url: home.url, token: 'not-the-token', timeoutMs: TIMEOUT_MS });
    try {
      const rest = await failure(wrong.getStates());
      expect(rest.kind).toBe('auth');
      expect(rest.status).toBe(401);
      expect(rest.message).toContain('HA_TOKEN');
      const ws = await failure(wrong.getEnergyPrefs());
      expect(ws.kind).toBe('auth');
      expect(ws.message).toContain('HA_TOKEN');
    } finally {
      await wrong.close();
    }
  });

  it('reports a stopped home as unreachable within the timeout, also after its WebSocket was cut', async () => {
    const doomed = await startDemoHome();
    const doomedClient = createHomeAssistantClient({ url: doomed.url, token: doomed.token, timeoutMs: TIMEOUT_MS });
    try {
      expect(await doomedClient.getEnergyPrefs()).not.toBeNull();
      await doomed.stop();
      for (const call of [() => doomedClient.ping(), () => doomedClient.getStatesViaWebSocket(), () => doomedClient.getEnergyPrefs()]) {
        const started = Date.now();
        const error = await failure(call());
        expect(error.kind).toBe('unreachable');
        expect(error.message).toContain(doomed.url);
        expect(error.message).toContain('HA_URL');
        expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
      }
    } finally {
      await doomedClient.close();
    }
  });
});

describe('every HomeAssistantClient call against the demo home', () => {
  let home: RunningDemoHome;
  let client: HttpHomeAssistantClient;
  const hourAgo = () => new Date(Date.now() - 3_600_000);

  beforeAll(async () => {
    home = await startDemoHome();
    client = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await client.close();
    await home.stop();
  });

  it('reads services, logbook, error log, templates, config check, stored configs and config entries over REST', async () => {
    const services = await client.getServices();
    expect(services.find((domain) => domain.domain === 'light')?.services['turn_on']).toBeDefined();
    const logbook = await client.getLogbook({ start: new Date(Date.now() - 86_400_000) });
    expect(logbook.length).toBeGreaterThan(0);
    expect(typeof logbook[0].when).toBe('string');
    expect(typeof (await client.getErrorLog())).toBe('string');
    expect(await client.renderTemplate("{{ states('sun.sun') in ['above_horizon', 'below_horizon'] }}")).toBe('true');
    expect(await client.renderTemplate('{{ a + b }}', { a: 1, b: 2 })).toBe('3');
    expect(await client.checkConfig()).toEqual({ result: 'valid', errors: null, warnings: null });
    const automationId = String((await client.getState('automation.lock_up_at_night'))?.attributes['id']);
    expect(await client.getAutomationConfig(automationId)).toMatchObject({ id: automationId, alias: 'Lock up at night' });
    expect(await client.getAutomationConfig('no_such_automation')).toBeNull();
    expect(await client.getScriptConfig('goodnight')).toMatchObject({ sequence: expect.any(Array) });
    expect(await client.getSceneConfig('no_such_scene')).toBeNull();
    expect((await client.getConfigEntries()).length).toBeGreaterThan(0);
    expect(home.mutations()).toEqual([]);
  });

  it('reads registries, statistics, logbook events, services and the dashboard over the WebSocket', async () => {
    expect((await client.getEntityRegistry()).length).toBeGreaterThan(50);
    expect((await client.getDeviceRegistry()).length).toBeGreaterThan(0);
    expect((await client.getAreaRegistry()).length).toBeGreaterThan(0);
    expect((await client.getFloorRegistry()).length).toBeGreaterThan(0);
    expect((await client.getServicesViaWebSocket())['homeassistant']).toHaveProperty('turn_on');
    const ids = await client.listStatisticIds('sum');
    expect(ids.map((meta) => meta.statistic_id)).toContain('sensor.mains_energy');
    const stats = await client.getStatisticsDuringPeriod({ start: new Date(Date.now() - 2 * 86_400_000), statisticIds: ['sensor.mains_energy'], period: 'day', types: ['change'] });
    expect(stats['sensor.mains_energy'].length).toBeGreaterThan(0);
    const events = await client.getLogbookEvents({ start: new Date(Date.now() - 86_400_000) });
    expect(typeof events[0]?.when).toBe('number');
    expect((await client.getLovelaceConfig())?.views?.length).toBeGreaterThan(0);
    expect(await client.getLovelaceConfig('no-such-dashboard')).toBeNull();
    expect(home.mutations()).toEqual([]);
  });

  it('makes every mutation real and records it', async () => {
    const entities: Array<Record<string, { state: string }>> = [];
    const subscription = await client.subscribeEntities((snapshot) => entities.push(snapshot));
    try {
      const before = (await client.getState('light.porch'))?.state;
      const service = before === 'on' ? 'turn_off' : 'turn_on';
      const result = await client.callService('light', service, {}, { entity_id: 'light.porch' });
      const expected = service === 'turn_on' ? 'on' : 'off';
      expect(result.changed_states).toEqual([expect.objectContaining({ entity_id: 'light.porch', state: expected })]);
      expect((await client.getState('light.porch'))?.state).toBe(expected);
      const deadline = Date.now() + 3_000;
      while (entities[entities.length - 1]?.['light.porch']?.state !== expected) {
        if (Date.now() > deadline) throw new Error('subscribeEntities never saw the change');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const history = await client.getHistory({ start: hourAgo(), entityIds: ['light.porch'] });
      expect(history[0][history[0].length - 1].state).toBe(expected);
      const logbook = await client.getLogbook({ start: hourAgo(), entityIds: ['light.porch'] });
      expect(logbook[logbook.length - 1]).toMatchObject({ entity_id: 'light.porch', state: expected, context_service: service });

      expect((await client.callService('script', 'goodnight', {}, {}, { returnResponse: true })).service_response).toEqual({});
      await expect(client.callService('light', 'teleport', {}, { entity_id: 'light.porch' })).rejects.toThrow(/POST \/api\/services\/light\/teleport with HTTP 400: 400: Bad Request/);

      const automation = { alias: 'Aether test', description: 'made by a test', triggers: [{ trigger: 'state', entity_id: 'binary_sensor.front_door', to: 'on' }], actions: [] };
      // The entity follows HA's reload, after the write answered: the client waits for it.
      expect(await saveConfigAndAwaitEntity(client, 'automation', 'aether_test', automation)).toMatchObject({ entity_id: 'automation.aether_test', state: 'on' });
      expect(await client.getAutomationConfig('aether_test')).toEqual({ id: 'aether_test', ...automation });
      await deleteConfigAndAwaitRemoval(client, 'automation', 'aether_test');
      expect(await client.getState('automation.aether_test')).toBeNull();
      expect(await client.saveScriptConfig('aether_script', { alias: 'Aether script', sequence: [] })).toEqual({ result: 'ok' });
      expect(await client.deleteScriptConfig('aether_script')).toEqual({ result: 'ok' });
      expect(await client.saveSceneConfig('aether_scene', { name: 'Aether scene', entities: { 'light.porch': 'on' } })).toEqual({ result: 'ok' });
      expect(await client.deleteSceneConfig('aether_scene')).toEqual({ result: 'ok' });
      const dashboard = { title: 'Aether', views: [{ title: 'One', cards: [] }] };
      await client.saveLovelaceConfig(dashboard);
      expect(await client.getLovelaceConfig()).toEqual(dashboard);

      // The client's own calls (HA's internal reloads run on their own timer, after some of them).
      expect(home.mutations().filter((m) => m['transport'] !== 'internal').map((m) => `${m.kind}:${m.outcome}`)).toEqual([
        'service_call:ok',
        'service_call:ok',
        'service_call:error',
        'config_write:ok',
        'config_delete:ok',
        'config_write:ok',
        'config_delete:ok',
        'config_write:ok',
        'config_delete:ok',
        'lovelace_save:ok',
      ]);
    } finally {
      await subscription.unsubscribe();
    }
  });
});
