import { createHomeAssistantClient, deleteConfigAndAwaitRemoval, saveConfigAndAwaitEntity, type HttpHomeAssistantClient } from '@aether/home-assistant';
import { smallHomeFixture } from '../fixture/small-home.fixture';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

// Config writes as HA answers them: validated by HA's rules (400 with HA's reason), stored, and
// only reloaded — the entity appearing — after the write has answered.

const RELOAD_DELAY_MS = 400;

describe('demo home config writes', () => {
  let home: RunningDemoHome;
  let client: HttpHomeAssistantClient;
  const post = (path: string, body: unknown) =>
    fetch(`${home.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${home.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const refusal = async (path: string, body: unknown) => {
    const response = await post(path, body);
    return { status: response.status, body: await response.json() };
  };

  beforeEach(async () => {
    home = await startDemoHome({ configReloadDelayMs: RELOAD_DELAY_MS });
    client = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 2_000 });
  });
  afterEach(async () => {
    await client.close();
    await home.stop();
  });

  it('refuses an unknown trigger platform, a malformed action and a bad entity id with HA’s 400 and reason, storing nothing', async () => {
    const actions = [{ action: 'light.turn_on', target: { entity_id: 'light.hall' } }];
    expect(await refusal('/api/config/automation/config/beam', { alias: 'Beam', triggers: [{ trigger: 'teleport' }], actions })).toEqual({
      status: 400,
      body: { message: "Message malformed: Invalid trigger 'teleport' specified" },
    });
    expect(await refusal('/api/config/automation/config/beam', { alias: 'Beam', triggers: [{ trigger: 'time', at: '07:00' }], actions: [{ turn: 'on' }] })).toEqual({
      status: 400,
      body: { message: "Message malformed: Unable to determine action @ data['actions'][0]" },
    });
    expect(await refusal('/api/config/automation/config/beam', { triggers: [{ trigger: 'time', at: '07:00' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'Hall Light' } }] })).toEqual({
      status: 400,
      body: { message: "Message malformed: Entity Hall Light is neither a valid entity ID nor a valid UUID for dictionary value @ data['actions'][0]['target']['entity_id']" },
    });
    expect(await refusal('/api/config/automation/config/beam', { triggers: [{ trigger: 'time', at: '07:00' }], conditions: [{ condition: 'weather' }], actions })).toEqual({
      status: 400,
      body: { message: "Message malformed: Unexpected value for condition: 'weather'. Expected and, device, not, numeric_state, or, state, sun, template, time, trigger, zone @ data['conditions'][0]" },
    });
    expect(await refusal('/api/config/script/config/wake_up', { alias: 'Wake up', sequence: [{ action: 'lights on' }] })).toEqual({
      status: 400,
      body: { message: "Message malformed: Service lights on does not match format <domain>.<name> for dictionary value @ data['sequence'][0]['action']" },
    });
    expect((await fetch(`${home.url}/api/config/automation/config/beam`, { headers: { Authorization: `Bearer ${home.token}` } })).status).toBe(404);
  });

  it('makes a valid automation an entity only after the reload delay; a client that waits sees it', async () => {
    const config = { alias: 'Porch at dusk', triggers: [{ trigger: 'sun', event: 'sunset' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }] };
    const started = Date.now();
    expect(await client.saveAutomationConfig('porch_dusk', config)).toEqual({ result: 'ok' });
    // Answered, but not reloaded yet: the entity does not exist.
    expect((await client.getStates()).some((state) => state.attributes['id'] === 'porch_dusk')).toBe(false);

    const entity = await saveConfigAndAwaitEntity(client, 'automation', 'porch_dusk', config);
    expect(Date.now() - started).toBeGreaterThanOrEqual(RELOAD_DELAY_MS);
    expect(entity).toMatchObject({ entity_id: 'automation.porch_at_dusk', state: 'on', attributes: { id: 'porch_dusk', friendly_name: 'Porch at dusk' } });

    await deleteConfigAndAwaitRemoval(client, 'automation', 'porch_dusk');
    expect(await client.getState('automation.porch_at_dusk')).toBeNull();
  });

  it('lets an id in the body win over the URL’s, and answers a missing config’s DELETE with 400', async () => {
    const config = { id: 'from_body', alias: 'Renamed', triggers: [{ trigger: 'time', at: '07:00' }], actions: [] };
    const entity = await saveConfigAndAwaitEntity(client, 'automation', 'from_url', config);
    expect(entity.attributes['id']).toBe('from_body');
    expect(await client.getAutomationConfig('from_body')).toMatchObject({ id: 'from_body', alias: 'Renamed' });
    expect(await client.getAutomationConfig('from_url')).toBeNull();

    const missing = await fetch(`${home.url}/api/config/scene/config/nothing_here`, { method: 'DELETE', headers: { Authorization: `Bearer ${home.token}` } });
    expect({ status: missing.status, body: await missing.json() }).toEqual({ status: 400, body: { message: 'Resource not found' } });
  });
});

describe('demo home check_config', () => {
  it('checks the stored configs: valid for the demo house, each invalid stored item reported', async () => {
    const demo = await startDemoHome();
    const fixture = smallHomeFixture();
    const broken = await startDemoHome({ fixture: { ...fixture, automations: [...(fixture.automations as object[]), { id: 'broken', alias: 'Broken', triggers: [{ trigger: 'teleport' }], actions: [] }] } });
    try {
      const check = async (home: RunningDemoHome) => (await fetch(`${home.url}/api/config/core/check_config`, { method: 'POST', headers: { Authorization: `Bearer ${home.token}` } })).json();
      expect(await check(demo)).toEqual({ result: 'valid', errors: null, warnings: null });
      expect(await check(broken)).toEqual({ result: 'invalid', errors: "Invalid config for 'automation' at automations.yaml, automation broken: Invalid trigger 'teleport' specified", warnings: null });
    } finally {
      await demo.stop();
      await broken.stop();
    }
  });
});
