import { createHomeAssistantClient, HomeAssistantAccess, HomeAssistantError, NON_ADMIN_LIMITATION, type HttpHomeAssistantClient } from '@aether/home-assistant';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

// Rights and installation types as HA has them: a non-admin user's token is refused the admin-only
// endpoints (aiohttp's plain-text 401), and HA OS / Supervised installs have no error log.

describe('demo home with a non-admin token', () => {
  let home: RunningDemoHome;
  let client: HttpHomeAssistantClient;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${home.url}${path}`, { method, headers: { Authorization: `Bearer ${home.token}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    home = await startDemoHome({ admin: false });
    client = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await client.close();
    await home.stop();
  });

  it('refuses the admin-only REST endpoints with 401 "401: Unauthorized", and changes nothing', async () => {
    const refused = [
      ['POST', '/api/template', { template: '{{ 1 }}' }],
      ['GET', '/api/error_log'],
      ['POST', '/api/config/core/check_config'],
      ['GET', '/api/config/automation/config/evening_lights'],
      ['POST', '/api/config/automation/config/x', { triggers: [], actions: [] }],
      ['DELETE', '/api/config/script/config/morning'],
      ['POST', '/api/states/sensor.x', { state: '1' }],
      ['POST', '/api/events/aether_test', {}],
    ] as const;
    for (const [method, path, body] of refused) {
      const response = await call(method, path, body);
      expect([method, path, response.status, await response.text()]).toEqual([method, path, 401, '401: Unauthorized']);
    }
    expect(home.mutations()).toEqual([]);
  });

  it('still serves what a non-admin user may read: states, history, registries, statistics', async () => {
    expect((await client.getStates()).length).toBeGreaterThan(20);
    expect(await client.getHistory({ start: new Date(Date.now() - 3_600_000), entityIds: ['sensor.mains_energy'] })).toHaveLength(1);
    expect((await client.getEntityRegistry()).length).toBeGreaterThan(20);
    expect(await client.getCurrentUser()).toMatchObject({ is_admin: false, is_owner: false });
  });

  it('refuses a WebSocket dashboard save as unauthorized, and the client says the user is not an administrator', async () => {
    const error = await client.saveLovelaceConfig({ views: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HomeAssistantError);
    expect(error).toMatchObject({ kind: 'auth' });
    expect((error as Error).message).toContain("the HA token's user is not one");
    const template = await client.renderTemplate('{{ 1 }}').catch((caught: unknown) => caught);
    expect((template as Error).message).toMatch(/refused POST \/api\/template \(HTTP 401\): it needs an administrator/);
  });

  it('is detected by HomeAssistantAccess as config APIs unavailable', async () => {
    const access = new HomeAssistantAccess(client);
    await access.check();
    expect(access.report()).toEqual({ admin: false, limitations: [NON_ADMIN_LIMITATION] });
    const admin = await startDemoHome();
    const adminClient = createHomeAssistantClient({ url: admin.url, token: admin.token, timeoutMs: 2_000 });
    try {
      const adminAccess = new HomeAssistantAccess(adminClient);
      await adminAccess.check();
      expect(adminAccess.report()).toEqual({ admin: true, limitations: [] });
    } finally {
      await adminClient.close();
      await admin.stop();
    }
  });
});

describe('demo home installation types', () => {
  it('has no /api/error_log on a supervised install (404), which the client reports as absent, not as an error', async () => {
    const supervised = await startDemoHome({ installationType: 'supervised' });
    const core = await startDemoHome();
    const clients = [supervised, core].map((home) => createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 2_000 }));
    try {
      const response = await fetch(`${supervised.url}/api/error_log`, { headers: { Authorization: `Bearer ${supervised.token}` } });
      expect([response.status, await response.text()]).toEqual([404, '404: Not Found']);
      expect(await clients[0].getErrorLog()).toBeNull();
      expect(await clients[1].getErrorLog()).toContain('ERROR');
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await supervised.stop();
      await core.stop();
    }
  });
});
