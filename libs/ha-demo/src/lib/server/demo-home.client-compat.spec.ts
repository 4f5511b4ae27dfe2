import { createHomeAssistantClient, HomeAssistantError, type HttpHomeAssistantClient } from '@aether/home-assistant';
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
      expect(prefs?.energy_sources[0]).toMatchObject({ type: 'grid', flow_from: [{ stat_energy_from: 'sensor.mains_energy' }] });
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
