import { once } from 'node:events';
import { WebSocket } from 'ws';
import { DemoHouse } from '../model/demo-house';
import { demoEnergyUsageKwh } from '../model/energy-usage';
import { DAY_MS } from '../time/slot-time';
import { DEFAULT_DEMO_TOKEN } from './demo-home-options';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);

describe('startDemoHome', () => {
  let home: RunningDemoHome;
  const get = (path: string, token: string | null = home.token) =>
    fetch(`${home.url}${path}`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    home = await startDemoHome({ now: () => NOW });
  });
  afterAll(() => home.stop());

  it('listens on loopback with the default token', () => {
    expect(home.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(home.token).toBe(DEFAULT_DEMO_TOKEN);
  });

  it('answers 401 like HA without the right bearer token', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await get('/api/states', token);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('401: Unauthorized');
    }
  });

  it('serves GET /api/, /api/config and /api/states', async () => {
    expect(await (await get('/api/')).json()).toEqual({ message: 'API running.' });
    const config = await (await get('/api/config')).json();
    expect(config).toMatchObject({ location_name: 'Aether Demo Home', time_zone: 'Europe/Dublin', currency: 'EUR' });
    const states = (await (await get('/api/states')).json()) as Array<{ entity_id: string }>;
    expect(states.map((s) => s.entity_id)).toEqual(expect.arrayContaining(['sensor.mains_energy', 'sensor.heat_pump_energy', 'sun.sun', 'weather.home']));
  });

  it('serves one state, and 404 with HA’s message for an unknown entity', async () => {
    const state = await (await get('/api/states/sensor.mains_energy')).json();
    expect(state).toMatchObject({ entity_id: 'sensor.mains_energy', attributes: { unit_of_measurement: 'kWh' } });
    const missing = await get('/api/states/sensor.does_not_exist');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Entity not found.' });
    expect((await get('/api/nothing/here')).status).toBe(404);
  });

  it('serves history with HA’s query parameters; the kWh it shows match the model', async () => {
    const start = new Date(NOW - 5 * DAY_MS + 7 * 60_000);
    const end = new Date(NOW - DAY_MS);
    const ids = ['sensor.mains_energy', 'sensor.ev_charger_energy', 'sensor.fridge_freezer_energy'];
    const response = await get(
      `/api/history/period/${encodeURIComponent(start.toISOString())}?filter_entity_id=${ids.join(',')}&end_time=${encodeURIComponent(end.toISOString())}&minimal_response&no_attributes&significant_changes_only`,
    );
    expect(response.status).toBe(200);
    const history = (await response.json()) as Array<Array<{ entity_id?: string; state: string }>>;
    expect(history.map((series) => series[0].entity_id)).toEqual(ids);
    const expected = demoEnergyUsageKwh({ start, end });
    history.forEach((series, i) => {
      const used = Number(series[series.length - 1].state) - Number(series[0].state);
      expect(used).toBeCloseTo(expected[ids[i]], 9);
    });
  });

  it('rejects a history request without filter_entity_id', async () => {
    const response = await get('/api/history/period');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'filter_entity_id is missing' });
  });

  it('gives identical history from two server instances for the same window', async () => {
    // A separate house instance: nothing memoised is shared.
    const other = await startDemoHome({ token: 'another-token', house: new DemoHouse() });
    try {
      // Real clocks on both: a window in the past does not depend on when it is asked for.
      const start = new Date(Date.now() - 3 * DAY_MS);
      const path = `/api/history/period/${encodeURIComponent(start.toISOString())}?filter_entity_id=sensor.mains_energy,light.kitchen,person.alex&end_time=${encodeURIComponent(new Date(start.getTime() + DAY_MS).toISOString())}`;
      const fromOther = await (await fetch(`${other.url}${path}`, { headers: { Authorization: 'Bearer another-token' } })).text();
      const realClockHome = await startDemoHome();
      try {
        const fromThis = await (await fetch(`${realClockHome.url}${path}`, { headers: { Authorization: `Bearer ${realClockHome.token}` } })).text();
        expect(fromThis).toBe(fromOther);
        expect(JSON.parse(fromThis)).toHaveLength(3);
      } finally {
        await realClockHome.stop();
      }
    } finally {
      await other.stop();
    }
    // A fresh house computes its meters from their reference epoch at startup.
  }, 60_000);

  describe('WebSocket API', () => {
    async function connect(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
      const ws = new WebSocket(`${home.url.replace('http', 'ws')}/api/websocket`);
      const queue: Array<Record<string, unknown>> = [];
      const waiters: Array<(message: Record<string, unknown>) => void> = [];
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as Record<string, unknown>;
        const waiter = waiters.shift();
        if (waiter) waiter(message);
        else queue.push(message);
      });
      await once(ws, 'open');
      const next = () => {
        const queued = queue.shift();
        return queued ? Promise.resolve(queued) : new Promise<Record<string, unknown>>((resolve) => waiters.push(resolve));
      };
      return { ws, next };
    }

    it('refuses a wrong token with auth_invalid and closes', async () => {
      const { ws, next } = await connect();
      expect(await next()).toMatchObject({ type: 'auth_required' });
      const closed = once(ws, 'close');
      ws.send(JSON.stringify({ type: 'auth', access_token: 'wrong' }));
      expect(await next()).toEqual({ type: 'auth_invalid', message: 'Invalid access token or password' });
      await closed;
    });

    it('authenticates, then answers commands with HA’s result shapes', async () => {
      const { ws, next } = await connect();
      expect(await next()).toMatchObject({ type: 'auth_required', ha_version: expect.any(String) });
      ws.send(JSON.stringify({ type: 'auth', access_token: DEFAULT_DEMO_TOKEN }));
      expect(await next()).toMatchObject({ type: 'auth_ok' });

      ws.send(JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }));
      expect(await next()).toEqual({ id: 1, type: 'result', success: true, result: null });

      ws.send(JSON.stringify({ id: 2, type: 'get_states' }));
      const states = await next();
      expect(states).toMatchObject({ id: 2, type: 'result', success: true });
      expect((states['result'] as unknown[]).length).toBeGreaterThan(20);

      ws.send(JSON.stringify({ id: 3, type: 'get_config' }));
      expect(await next()).toMatchObject({ id: 3, success: true, result: { time_zone: 'Europe/Dublin' } });

      ws.send(JSON.stringify({ id: 4, type: 'energy/get_prefs' }));
      const prefs = (await next())['result'] as { energy_sources: unknown[]; device_consumption: Array<{ stat_consumption: string }> };
      expect(prefs.energy_sources).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'grid', stat_energy_from: 'sensor.mains_energy' })]));
      expect(prefs.device_consumption.length).toBeGreaterThanOrEqual(8);

      ws.send(JSON.stringify({ id: 5, type: 'ping' }));
      expect(await next()).toEqual({ id: 5, type: 'pong' });

      ws.send(JSON.stringify({ id: 6, type: 'lovelace/teleport' }));
      expect(await next()).toEqual({ id: 6, type: 'result', success: false, error: { code: 'unknown_command', message: 'Unknown command.' } });

      ws.send(JSON.stringify({ id: 6, type: 'ping' }));
      expect(await next()).toMatchObject({ id: 6, success: false, error: { code: 'id_reuse' } });

      ws.send(JSON.stringify({ type: 'ping' }));
      expect(await next()).toMatchObject({ success: false, error: { code: 'invalid_format' } });
      ws.close();
    });

    it('only upgrades /api/websocket', async () => {
      const ws = new WebSocket(`${home.url.replace('http', 'ws')}/api/other`);
      const [error] = await once(ws, 'error');
      expect(String(error)).toContain('404');
    });
  });

  it('stops: the port is released and stop() is idempotent', async () => {
    const temporary = await startDemoHome();
    await temporary.stop();
    await temporary.stop();
    await expect(fetch(`${temporary.url}/api/`)).rejects.toThrow();
  });
});
