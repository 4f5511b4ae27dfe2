import { HELPER_DOMAINS } from '../helper-contract';
import { HomeAssistantError, type HomeAssistantClient } from '../home-assistant.client';
import type { HaEnergySource, HaEntityState } from '../home-assistant.types';

/**
 * The Home Assistant contract: every read Aether makes of HA (REST and WebSocket), each checked
 * with Aether's own client, so the shapes the client validates are the shapes checked. Run in CI
 * against the demo home, and by `npm run check:ha` against a real installation. Read-only by
 * construction: no check writes a config, calls a service or fires an event (`check_config` and
 * `template` are POSTs that only read).
 */
export type ContractOutcome = 'compatible' | 'incompatible' | 'skipped';

export interface ContractCheckResult {
  /** The call, as HA names it: `GET /api/states`, `WS energy/get_prefs`… */
  call: string;
  outcome: ContractOutcome;
  /** What was seen (compatible), what differed (incompatible) or why it was not run (skipped). */
  detail: string;
}

export interface ContractReport {
  baseUrl: string;
  results: ContractCheckResult[];
  /** True when nothing was incompatible (skipped checks do not count against it). */
  compatible: boolean;
}

/** A difference between what HA answered and what Aether relies on. */
class ContractViolation extends Error {}
/** A check that cannot run here: missing rights, the installation type, nothing to read. */
class Skip extends Error {}

interface ContractContext {
  client: HomeAssistantClient;
  now: Date;
  admin: boolean | null;
  states: HaEntityState[];
}

interface ContractCheck {
  call: string;
  /** Admin-only in HA: skipped, not failed, for a token whose user is no administrator. */
  admin?: boolean;
  run(context: ContractContext): Promise<string>;
}

const HOUR_MS = 3_600_000;
const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

function expect(condition: unknown, difference: string): asserts condition {
  if (!condition) throw new ContractViolation(difference);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const ofDomain = (context: ContractContext, domain: string) => context.states.filter((state) => state.entity_id.startsWith(`${domain}.`));

/** A grid source in the unified shape (the newest HA) or the legacy one (`flow_from`/`flow_to`). */
function gridShape(source: HaEnergySource): 'unified' | 'legacy' | null {
  if (Array.isArray(source.flow_from) || Array.isArray(source.flow_to)) return 'legacy';
  if ('stat_energy_from' in source || 'stat_energy_to' in source) return 'unified';
  return null;
}

const CHECKS: readonly ContractCheck[] = [
  {
    call: 'GET /api/',
    run: async ({ client }) => (await client.ping()).message,
  },
  {
    call: 'GET /api/config',
    run: async ({ client }) => {
      const config = await client.getConfig();
      expect(typeof config.time_zone === 'string' && config.time_zone.length > 0, 'time_zone is missing');
      expect(typeof config.version === 'string', 'version is missing');
      return `Home Assistant ${config.version}, time zone ${config.time_zone}`;
    },
  },
  {
    call: 'WS auth/current_user',
    run: async (context) => {
      const user = await context.client.getCurrentUser();
      expect(typeof user.is_admin === 'boolean', 'is_admin is missing');
      context.admin = user.is_admin;
      return user.is_admin ? 'the token belongs to an administrator' : "the token's user is not an administrator: the config APIs are checked as unavailable";
    },
  },
  {
    call: 'GET /api/states',
    run: async (context) => {
      context.states = await context.client.getStates();
      const malformed = context.states.find((state) => !ENTITY_ID.test(state.entity_id));
      expect(!malformed, `entity id "${malformed?.entity_id}" is not <domain>.<object_id>`);
      return plural(context.states.length, 'entity', 'entities');
    },
  },
  {
    call: 'GET /api/states/<entity_id>',
    run: async ({ client, states }) => {
      if (states.length === 0) throw new Skip('HA has no entities to read');
      const state = await client.getState(states[0].entity_id);
      expect(state?.entity_id === states[0].entity_id, `asked for ${states[0].entity_id}, got ${state?.entity_id ?? 'nothing'}`);
      expect((await client.getState('sensor.aether_contract_no_such_entity')) === null, 'an unknown entity is not answered with 404');
      return `${states[0].entity_id} read; an unknown entity is 404`;
    },
  },
  {
    call: 'WS get_states',
    run: async ({ client, states }) => {
      const viaWebSocket = await client.getStatesViaWebSocket();
      const rest = new Set(states.map((state) => state.entity_id));
      const shared = viaWebSocket.filter((state) => rest.has(state.entity_id)).length;
      // Entities may come and go between the two reads; most must be in both.
      expect(shared >= Math.floor(rest.size * 0.9), `only ${shared} of ${rest.size} REST entities are in the WebSocket answer`);
      return plural(viaWebSocket.length, 'entity', 'entities');
    },
  },
  {
    call: 'GET /api/services',
    run: async ({ client }) => {
      const domains = await client.getServices();
      expect(domains.some((domain) => domain.domain === 'homeassistant'), 'the homeassistant domain is missing');
      return plural(domains.length, 'domain');
    },
  },
  {
    call: 'WS get_services',
    run: async ({ client }) => {
      const byDomain = await client.getServicesViaWebSocket();
      expect('homeassistant' in byDomain, 'the homeassistant domain is missing');
      return plural(Object.keys(byDomain).length, 'domain');
    },
  },
  {
    call: 'WS energy/get_prefs',
    run: async ({ client }) => {
      const prefs = await client.getEnergyPrefs();
      if (!prefs) return 'the Energy dashboard is not configured (Aether falls back to energy sensors)';
      const grids = prefs.energy_sources.filter((source) => source.type === 'grid');
      const shapes = grids.map(gridShape);
      expect(!shapes.includes(null), 'a grid source has neither flow_from/flow_to (legacy) nor stat_energy_from/stat_energy_to (unified)');
      const shape = grids.length === 0 ? 'no grid' : [...new Set(shapes)].join(' and ') + ` grid shape (${plural(grids.length, 'grid source')})`;
      return `${shape}, ${plural(prefs.device_consumption.length, 'device')}; sources: ${[...new Set(prefs.energy_sources.map((source) => source.type))].join(', ') || 'none'}`;
    },
  },
  {
    call: 'WS config/entity_registry/list',
    run: async ({ client }) => plural((await client.getEntityRegistry()).length, 'entry', 'entries'),
  },
  {
    call: 'WS config/device_registry/list',
    run: async ({ client }) => plural((await client.getDeviceRegistry()).length, 'device'),
  },
  {
    call: 'WS config/area_registry/list',
    run: async ({ client }) => plural((await client.getAreaRegistry()).length, 'area'),
  },
  {
    call: 'WS config/floor_registry/list',
    run: async ({ client }) => plural((await client.getFloorRegistry()).length, 'floor'),
  },
  {
    call: 'GET /api/history/period',
    run: async ({ client, states, now }) => {
      if (states.length === 0) throw new Skip('HA has no entities to read history of');
      const entityId = (states.find((state) => state.entity_id.startsWith('sensor.')) ?? states[0]).entity_id;
      const history = await client.getHistory({ start: new Date(now.getTime() - HOUR_MS), end: now, entityIds: [entityId], minimalResponse: true, noAttributes: true });
      return `${entityId}: ${plural(history[0]?.length ?? 0, 'row')} over the last hour`;
    },
  },
  {
    call: 'GET /api/logbook',
    run: async ({ client, now }) => plural((await client.getLogbook({ start: new Date(now.getTime() - HOUR_MS), end: now })).length, 'entry', 'entries') + ' over the last hour',
  },
  {
    call: 'WS logbook/get_events',
    run: async ({ client, now }) => plural((await client.getLogbookEvents({ start: new Date(now.getTime() - HOUR_MS), end: now })).length, 'event') + ' over the last hour',
  },
  {
    call: 'WS recorder/statistics_during_period',
    run: async ({ client, now }) => {
      const ids = await client.listStatisticIds('sum');
      if (ids.length === 0) throw new Skip('the recorder has no sum statistics to read');
      const id = ids[0].statistic_id;
      const result = await client.getStatisticsDuringPeriod({ start: new Date(now.getTime() - 24 * HOUR_MS), end: now, statisticIds: [id], period: 'hour', types: ['sum'] });
      return `${plural(ids.length, 'sum statistic')}; ${id}: ${plural(result[id]?.length ?? 0, 'hourly row')} over the last day`;
    },
  },
  {
    call: 'WS lovelace/config',
    run: async ({ client }) => {
      const dashboard = await client.getLovelaceConfig();
      return dashboard ? `default dashboard with ${plural(Array.isArray(dashboard['views']) ? dashboard['views'].length : 0, 'view')}` : 'the default dashboard is auto-generated';
    },
  },
  {
    call: 'WS input_*/list (UI helpers)',
    run: async ({ client }) => {
      const counts = await Promise.all(HELPER_DOMAINS.map(async (domain) => [domain, (await client.listHelpers(domain)).length] as const));
      return counts.map(([domain, count]) => `${domain} ${count}`).join(', ');
    },
  },
  {
    call: 'GET /api/config/config_entries/entry',
    admin: true,
    run: async ({ client }) => plural((await client.getConfigEntries()).length, 'config entry', 'config entries'),
  },
  {
    call: 'GET /api/config/automation/config/<id>',
    admin: true,
    run: async ({ client, ...context }) => {
      const ids = ofDomain({ client, ...context }, 'automation').map((state) => state.attributes['id']).filter((id): id is string => typeof id === 'string');
      if (ids.length === 0) throw new Skip('no automation with a stored config');
      const configs = await Promise.all(ids.map((id) => client.getAutomationConfig(id)));
      const blueprints = configs.filter((config) => config?.use_blueprint).length;
      return `${plural(configs.filter(Boolean).length, 'automation config')} read (${blueprints} blueprint-based)`;
    },
  },
  {
    call: 'GET /api/config/script/config/<object_id>',
    admin: true,
    run: async (context) => {
      const objectIds = ofDomain(context, 'script').map((state) => state.entity_id.slice('script.'.length));
      if (objectIds.length === 0) throw new Skip('no scripts');
      const configs = await Promise.all(objectIds.map((objectId) => context.client.getScriptConfig(objectId)));
      const blueprints = configs.filter((config) => config?.use_blueprint).length;
      return `${plural(configs.filter(Boolean).length, 'script config')} read (${blueprints} blueprint-based; YAML-only scripts have none)`;
    },
  },
  {
    call: 'GET /api/config/scene/config/<id>',
    admin: true,
    run: async (context) => {
      const ids = ofDomain(context, 'scene').map((state) => state.attributes['id']).filter((id): id is string => typeof id === 'string');
      if (ids.length === 0) throw new Skip('no scene with a stored config');
      const configs = await Promise.all(ids.map((id) => context.client.getSceneConfig(id)));
      return `${plural(configs.filter(Boolean).length, 'scene config')} read`;
    },
  },
  {
    call: 'POST /api/config/core/check_config',
    admin: true,
    run: async ({ client }) => `configuration ${(await client.checkConfig()).result}`,
  },
  {
    call: 'POST /api/template',
    admin: true,
    run: async ({ client }) => {
      const rendered = await client.renderTemplate('{{ 20 + 22 }}');
      expect(rendered.trim() === '42', `"{{ 20 + 22 }}" rendered as "${rendered}"`);
      return 'renders templates';
    },
  },
  {
    call: 'GET /api/error_log',
    admin: true,
    run: async ({ client }) => {
      const log = await client.getErrorLog();
      if (log === null) throw new Skip('no error log on this installation type (HA OS / Supervised log to the journal)');
      return `${plural(log.split('\n').filter(Boolean).length, 'line')}`;
    },
  },
];

/** Runs every check in order (later ones use what earlier ones read) and reports each outcome. */
export async function checkHomeAssistantContract(client: HomeAssistantClient, options: { now?: Date } = {}): Promise<ContractReport> {
  const context: ContractContext = { client, now: options.now ?? new Date(), admin: null, states: [] };
  const results: ContractCheckResult[] = [];
  let unusable: string | undefined;
  for (const check of CHECKS) {
    if (unusable) {
      results.push({ call: check.call, outcome: 'skipped', detail: `not run: ${unusable}` });
      continue;
    }
    if (check.admin && context.admin === false) {
      results.push({ call: check.call, outcome: 'skipped', detail: "needs an administrator; the HA token's user is not one" });
      continue;
    }
    try {
      results.push({ call: check.call, outcome: 'compatible', detail: await check.run(context) });
    } catch (error) {
      results.push(outcomeOf(check, error));
      // Unreachable, or the token refused outright: every other call would fail the same way.
      if (error instanceof HomeAssistantError && (error.kind === 'unreachable' || (error.kind === 'auth' && !check.admin))) unusable = error.kind === 'unreachable' ? 'Home Assistant is unreachable' : 'the token was refused';
    }
  }
  return { baseUrl: client.baseUrl, results, compatible: results.every((result) => result.outcome !== 'incompatible') };
}

function outcomeOf(check: ContractCheck, error: unknown): ContractCheckResult {
  if (error instanceof Skip) return { call: check.call, outcome: 'skipped', detail: error.message };
  if (check.admin && error instanceof HomeAssistantError && error.kind === 'auth') return { call: check.call, outcome: 'skipped', detail: 'needs an administrator; HA refused the token' };
  return { call: check.call, outcome: 'incompatible', detail: error instanceof Error ? error.message : String(error) };
}

/** The report as lines a person reads: one per call, then the totals. */
export function formatContractReport(report: ContractReport): string {
  const mark: Record<ContractOutcome, string> = { compatible: 'ok  ', incompatible: 'FAIL', skipped: 'skip' };
  const count = (outcome: ContractOutcome) => report.results.filter((result) => result.outcome === outcome).length;
  return [
    `Home Assistant contract check against ${report.baseUrl} (read-only)`,
    ...report.results.map((result) => `${mark[result.outcome]}  ${result.call} — ${result.detail}`),
    `${count('compatible')} compatible, ${count('incompatible')} incompatible, ${count('skipped')} skipped: ${report.compatible ? 'Aether can work with this Home Assistant.' : 'Aether relies on the calls marked FAIL.'}`,
  ].join('\n');
}
