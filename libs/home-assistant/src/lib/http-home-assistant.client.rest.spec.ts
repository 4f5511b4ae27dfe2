import { FakeHomeAssistant } from '../testing/fake-home-assistant.server';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantError } from './home-assistant.client';
import type { HttpHomeAssistantClient } from './http-home-assistant.client';

// The REST calls against a scripted loopback HA: what the client sends, and how it reads HA's answers.

const TOKEN = 'good-token';
const LIGHT = {
  entity_id: 'light.kitchen',
  state: 'on',
  attributes: { brightness: 200 },
  last_changed: '2026-11-29T10:00:00+00:00',
  last_updated: '2026-11-29T10:00:00+00:00',
  context: { id: '01J', parent_id: null, user_id: null },
};

async function failure(promise: Promise<unknown>): Promise<HomeAssistantError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomeAssistantError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('HttpHomeAssistantClient REST', () => {
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

  const lastRequest = () => ha.requests[ha.requests.length - 1];

  it('lists services per domain', async () => {
    const services = [{ domain: 'light', services: { turn_on: { name: 'Turn on', description: 'Turns on', fields: { brightness: {} }, target: { entity: [{ domain: ['light'] }] } } } }];
    ha.rest.set('GET /api/services', () => ({ json: services }));
    expect(await client.getServices()).toEqual(services);
    expect(lastRequest().authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('calls a service with data and target merged into the body, normalising a list of changed states', async () => {
    ha.rest.set('POST /api/services/light/turn_on', () => ({ json: [LIGHT] }));
    const result = await client.callService('light', 'turn_on', { brightness: 200 }, { entity_id: 'light.kitchen' });
    expect(result).toEqual({ changed_states: [LIGHT] });
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/api/services/light/turn_on', contentType: 'application/json' });
    expect(JSON.parse(lastRequest().body)).toEqual({ brightness: 200, entity_id: 'light.kitchen' });
  });

  it('asks for a service response with ?return_response and keeps it', async () => {
    const answer = { changed_states: [], service_response: { 'weather.home': { forecast: [{ temperature: 4 }] } } };
    ha.rest.set('POST /api/services/weather/get_forecasts', () => ({ json: answer }));
    const result = await client.callService('weather', 'get_forecasts', { type: 'daily' }, { entity_id: 'weather.home' }, { returnResponse: true });
    expect(result).toEqual(answer);
    expect(lastRequest().url).toBe('/api/services/weather/get_forecasts?return_response');
  });

  it("reports HA's refusal of a service call as an HTTP error with HA's message", async () => {
    ha.rest.set('POST /api/services/light/explode', () => ({ status: 400, json: { message: 'Service light.explode not found.' } }));
    const error = await failure(client.callService('light', 'explode'));
    expect(error).toMatchObject({ kind: 'http', status: 400 });
    expect(error.message).toContain('POST /api/services/light/explode with HTTP 400: Service light.explode not found.');
    expect(JSON.parse(lastRequest().body)).toEqual({});
  });

  it('reads the logbook for a period and entities', async () => {
    const entries = [{ when: '2026-11-29T10:00:00+00:00', name: 'Kitchen', state: 'on', entity_id: 'light.kitchen' }];
    ha.rest.set('GET /api/logbook/2026-11-29T09:00:00.000Z', () => ({ json: entries }));
    const start = new Date('2026-11-29T09:00:00Z');
    const end = new Date('2026-11-29T11:00:00Z');
    expect(await client.getLogbook({ start, end, entityIds: ['light.kitchen', 'light.hall'] })).toEqual(entries);
    const url = new URL(lastRequest().url, 'http://x');
    expect(url.searchParams.get('end_time')).toBe(end.toISOString());
    expect(url.searchParams.get('entity')).toBe('light.kitchen,light.hall');

    await client.getLogbook({ start });
    expect(lastRequest().url).toBe(`/api/logbook/${encodeURIComponent(start.toISOString())}`);
  });

  it('reads the error log and renders templates as text', async () => {
    ha.rest.set('GET /api/error_log', () => ({ text: '2026-11-29 ERROR (MainThread) [homeassistant] boom\n' }));
    ha.rest.set('POST /api/template', (request) => {
      const { template, variables } = JSON.parse(request.body) as { template: string; variables?: { name?: string } };
      return { text: template.replace('{{ name }}', variables?.name ?? '') };
    });
    expect(await client.getErrorLog()).toBe('2026-11-29 ERROR (MainThread) [homeassistant] boom\n');
    expect(lastRequest().url).toBe('/api/error_log');
    expect(await client.renderTemplate('Hello {{ name }}', { name: 'Aether' })).toBe('Hello Aether');
    expect(JSON.parse(lastRequest().body)).toEqual({ template: 'Hello {{ name }}', variables: { name: 'Aether' } });
  });

  it("reports a template HA cannot render with HA's message", async () => {
    ha.rest.set('POST /api/template', () => ({ status: 400, json: { message: "Error rendering template: UndefinedError: 'foo' is undefined" } }));
    const error = await failure(client.renderTemplate('{{ foo.bar }}'));
    expect(error).toMatchObject({ kind: 'http', status: 400 });
    expect(error.message).toContain("'foo' is undefined");
  });

  it('checks the configuration', async () => {
    ha.rest.set('POST /api/config/core/check_config', () => ({ json: { result: 'invalid', errors: 'Integration error: foo', warnings: null } }));
    expect(await client.checkConfig()).toEqual({ result: 'invalid', errors: 'Integration error: foo', warnings: null });
    expect(lastRequest().method).toBe('POST');
    ha.rest.set('POST /api/config/core/check_config', () => ({ json: { result: 'valid', errors: null } }));
    expect(await client.checkConfig()).toEqual({ result: 'valid', errors: null, warnings: null });
  });

  describe.each([
    ['automation', 'morning_lights', { id: 'morning_lights', alias: 'Morning', triggers: [{ trigger: 'time', at: '07:00' }], actions: [] }],
    ['script', 'wake_up', { alias: 'Wake up', sequence: [{ action: 'light.turn_on' }] }],
    ['scene', 'evening', { id: 'evening', name: 'Evening', entities: { 'light.kitchen': { state: 'on' } } }],
  ] as const)('%s config', (kind, id, config) => {
    const calls = {
      automation: {
        get: (c: HttpHomeAssistantClient, key: string) => c.getAutomationConfig(key),
        save: (c: HttpHomeAssistantClient, key: string, value: object) => c.saveAutomationConfig(key, value as never),
        remove: (c: HttpHomeAssistantClient, key: string) => c.deleteAutomationConfig(key),
      },
      script: {
        get: (c: HttpHomeAssistantClient, key: string) => c.getScriptConfig(key),
        save: (c: HttpHomeAssistantClient, key: string, value: object) => c.saveScriptConfig(key, value as never),
        remove: (c: HttpHomeAssistantClient, key: string) => c.deleteScriptConfig(key),
      },
      scene: {
        get: (c: HttpHomeAssistantClient, key: string) => c.getSceneConfig(key),
        save: (c: HttpHomeAssistantClient, key: string, value: object) => c.saveSceneConfig(key, value as never),
        remove: (c: HttpHomeAssistantClient, key: string) => c.deleteSceneConfig(key),
      },
    }[kind];
    const path = `/api/config/${kind}/config/${id}`;

    it('reads a stored config, and null for one HA does not have', async () => {
      ha.rest.set(`GET ${path}`, () => ({ json: config }));
      expect(await calls.get(client, id)).toEqual(config);
      expect(await calls.get(client, 'missing')).toBeNull();
      expect(lastRequest().url).toBe(`/api/config/${kind}/config/missing`);
    });

    it('saves with POST and deletes with DELETE', async () => {
      ha.rest.set(`POST ${path}`, () => ({ json: { result: 'ok' } }));
      ha.rest.set(`DELETE ${path}`, () => ({ json: { result: 'ok' } }));
      expect(await calls.save(client, id, config)).toEqual({ result: 'ok' });
      expect(lastRequest()).toMatchObject({ method: 'POST', url: path });
      expect(JSON.parse(lastRequest().body)).toEqual(config);
      expect(await calls.remove(client, id)).toEqual({ result: 'ok' });
      expect(lastRequest()).toMatchObject({ method: 'DELETE', url: path });
    });

    it("reports a config HA rejects, and a delete of one it does not have", async () => {
      ha.rest.set(`POST ${path}`, () => ({ status: 400, json: { message: 'Message malformed: extra keys not allowed' } }));
      const rejected = await failure(calls.save(client, id, config));
      expect(rejected).toMatchObject({ kind: 'http', status: 400 });
      expect(rejected.message).toContain('Message malformed: extra keys not allowed');
      expect(await failure(calls.remove(client, 'missing'))).toMatchObject({ kind: 'not_found', status: 404 });
    });

    it('refuses an empty id before asking HA', async () => {
      const before = ha.requests.length;
      await expect(calls.get(client, ' ')).rejects.toThrow(RangeError);
      expect(ha.requests).toHaveLength(before);
    });
  });

  it('accepts a hand-written script whose sequence is a single action', async () => {
    ha.rest.set('GET /api/config/script/config/single', () => ({ json: { sequence: { action: 'light.turn_off' } } }));
    expect(await client.getScriptConfig('single')).toEqual({ sequence: { action: 'light.turn_off' } });
  });

  it('reads blueprint-based scripts and automations (use_blueprint, no sequence or triggers), and still refuses a script with neither', async () => {
    const script = { alias: 'Ask first', use_blueprint: { path: 'homeassistant/confirmable_notification.yaml', input: { notify_device: 'abc', message: 'Sure?' } } };
    ha.rest.set('GET /api/config/script/config/ask_first', () => ({ json: script }));
    expect(await client.getScriptConfig('ask_first')).toEqual(script);
    const automation = { id: '17', alias: 'Leaving', description: '', use_blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: { person_entity: 'person.alex' } } };
    ha.rest.set('GET /api/config/automation/config/17', () => ({ json: automation }));
    expect(await client.getAutomationConfig('17')).toEqual(automation);

    ha.rest.set('GET /api/config/script/config/broken', () => ({ json: { alias: 'Broken', use_blueprint: { input: {} } } }));
    expect((await failure(client.getScriptConfig('broken'))).kind).toBe('protocol');
    ha.rest.set('GET /api/config/script/config/empty', () => ({ json: { alias: 'Empty' } }));
    expect((await failure(client.getScriptConfig('empty'))).kind).toBe('protocol');
  });

  it('lists config entries', async () => {
    const entries = [
      { entry_id: '01JA', domain: 'hue', title: 'Hue Bridge', source: 'zeroconf', state: 'loaded', disabled_by: null, reason: null, num_subentries: 0 },
      { entry_id: '01JB', domain: 'met', title: 'Home', source: 'user', state: 'setup_retry', disabled_by: null, reason: 'timeout' },
    ];
    ha.rest.set('GET /api/config/config_entries/entry', () => ({ json: entries }));
    expect(await client.getConfigEntries()).toEqual(entries);
  });

  it('rejects answers without the fields Aether relies on', async () => {
    ha.rest.set('GET /api/config/config_entries/entry', () => ({ json: [{ domain: 'hue' }] }));
    const error = await failure(client.getConfigEntries());
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('GET /api/config/config_entries/entry');
    expect(error.message).toContain('0.entry_id');
    ha.rest.set('POST /api/services/light/turn_on', () => ({ json: { changed: true } }));
    expect((await failure(client.callService('light', 'turn_on'))).kind).toBe('protocol');
  });

  it('reports a refused token as an auth error naming HA_TOKEN', async () => {
    const stranger = createHomeAssistantClient({ url: ha.url, token: 'wrong', timeoutMs: 2_000 });
    const error = await failure(stranger.getErrorLog());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toContain('GET /api/error_log');
    expect(error.message).toContain('HA_TOKEN');
  });

  it('times out a slow answer, naming the call', async () => {
    const slow = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 200 });
    ha.rest.set('POST /api/template', () => ({ text: 'late', delayMs: 1_000 }));
    const started = Date.now();
    const error = await failure(slow.renderTemplate('{{ 1 }}'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('POST /api/template within 200 ms');
    expect(Date.now() - started).toBeLessThan(900);
  });
});
