import { FakeHomeAssistant } from '../../testing/fake-home-assistant.server';
import { createHomeAssistantClient } from '../create-home-assistant-client';
import { checkHomeAssistantContract, formatContractReport } from './ha-contract';

const TOKEN = 'contract-token';
const STATES = [{ entity_id: 'light.kitchen', state: 'on', attributes: {}, last_changed: '2026-11-29T10:00:00+00:00', last_updated: '2026-11-29T10:00:00+00:00', context: { id: '1', parent_id: null, user_id: null } }];

describe('checkHomeAssistantContract against a server that answers differently', () => {
  let ha: FakeHomeAssistant;
  beforeAll(async () => {
    ha = await FakeHomeAssistant.start(TOKEN);
  });
  afterAll(async () => {
    await ha.stop();
  });

  it('reports each differing call as incompatible with what differed, goes on with the rest, and only reads', async () => {
    // A config without the location fields, a grid source in neither energy-prefs shape, the rest unanswered or as HA answers.
    ha.rest.set('GET /api/config', () => ({ json: { version: '2026.11.0', location_name: 'Home', unit_system: {}, components: [] } }));
    ha.rest.set('GET /api/states', () => ({ json: STATES }));
    ha.ws.set('auth/current_user', () => ({ result: { id: 'u1', name: 'Owner', is_owner: true, is_admin: true, credentials: [], mfa_modules: [] } }));
    ha.ws.set('energy/get_prefs', () => ({ result: { energy_sources: [{ type: 'grid', stat_import: 'sensor.grid' }], device_consumption: [] } }));
    const client = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 2_000 });
    try {
      const report = await checkHomeAssistantContract(client);
      expect(report.compatible).toBe(false);
      const of = (call: string) => report.results.find((result) => result.call === call);
      expect(of('GET /api/')).toMatchObject({ outcome: 'compatible' });
      expect(of('GET /api/config')).toMatchObject({ outcome: 'incompatible', detail: expect.stringContaining('unexpected answer to GET /api/config') });
      expect(of('GET /api/states')).toMatchObject({ outcome: 'compatible', detail: '1 entity' });
      expect(of('WS energy/get_prefs')).toMatchObject({ outcome: 'incompatible', detail: expect.stringContaining('neither flow_from/flow_to (legacy) nor stat_energy_from/stat_energy_to (unified)') });
      expect(of('WS config/floor_registry/list')).toMatchObject({ outcome: 'incompatible' });
      expect(formatContractReport(report)).toContain('FAIL  GET /api/config — ');
      expect(formatContractReport(report)).toMatch(/Aether relies on the calls marked FAIL\.$/);

      // Read-only: GETs, and the two POSTs that only read (check_config, template).
      const writes = ha.requests.filter((request) => request.method !== 'GET' && !['/api/config/core/check_config', '/api/template'].includes(request.url));
      expect(writes).toEqual([]);
      expect(ha.commands.map((command) => command['type']).filter((type) => !/^(get_|auth\/|energy\/get_prefs|config\/\w+_registry\/list|recorder\/(list_statistic_ids|statistics_during_period)|logbook\/get_events|lovelace\/config|input_\w+\/list)/.test(String(type)))).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
