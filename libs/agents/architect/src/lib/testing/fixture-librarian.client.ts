import {
  AgentError,
  CATALOG_REQUEST_KEY,
  type AgentCallOptions,
  type AgentCallResult,
  type AgentClient,
  type AgentEvent,
  type AgentRequest,
  type CatalogAutomationView,
  type CatalogEntityView,
  type CatalogQuery,
  type CatalogQueryResult,
  type CatalogSummary,
} from '@aether/core';

export interface LibrarianFixture {
  entities: CatalogEntityView[];
  automations?: Array<CatalogAutomationView & { config: Record<string, unknown> | null }>;
  summary?: Partial<CatalogSummary>;
}

/**
 * Test double of the Librarian as the Architect sees it: an `AgentClient` that answers catalog
 * queries from a fixture (word search, domain/state/area filters) and records every query. `fail`
 * makes chosen operations fail with the given error, as a real Librarian call would.
 */
export class FixtureLibrarianClient implements AgentClient {
  readonly agent = 'librarian' as const;
  readonly queries: CatalogQuery[] = [];
  readonly requests: AgentRequest[] = [];
  fail: Partial<Record<CatalogQuery['op'], unknown>> = {};

  constructor(private readonly fixture: LibrarianFixture) {}

  async send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult> {
    const events: AgentEvent[] = [];
    for await (const event of this.stream(request, options)) events.push(event);
    const data = Object.assign({}, ...events.map((e) => (e.type === 'result' ? e.data : {})));
    return { text: '', data, events, taskId: `task-${this.requests.length}` };
  }

  async *stream(request: AgentRequest, options?: AgentCallOptions): AsyncGenerator<AgentEvent> {
    this.requests.push(request);
    if (options?.signal?.aborted) throw new AgentError('cancelled', 'The call was cancelled.', 'librarian');
    const query = request.data?.[CATALOG_REQUEST_KEY] as CatalogQuery | undefined;
    if (!query) throw new AgentError('invalid_input', 'the fixture librarian answers catalog queries only', 'librarian');
    this.queries.push(query);
    const failure = this.fail[query.op];
    if (failure !== undefined) throw failure;
    yield { type: 'result', agent: 'librarian', data: { [CATALOG_REQUEST_KEY]: this.answer(query) } };
  }

  private answer(query: CatalogQuery): CatalogQueryResult {
    const { entities } = this.fixture;
    const automations = this.fixture.automations ?? [];
    switch (query.op) {
      case 'search_entities': {
        const words = query.query.toLowerCase().split(/\s+/).filter(Boolean);
        const found = entities.filter(
          (e) =>
            (!query.domain || e.domain === query.domain) &&
            (!query.area || e.area === query.area) &&
            words.every((w) => `${e.entity_id} ${e.name} ${e.area ?? ''} ${e.device ?? ''}`.toLowerCase().includes(w)),
        );
        return { op: 'search_entities', entities: found.slice(0, query.limit ?? 50).map(withoutDetails), total: found.length, live: false };
      }
      case 'list_entities_by_domain': {
        const found = entities.filter(
          (e) => e.domain === query.domain && (!query.stateFilter || e.state === query.stateFilter) && (!query.area || e.area === query.area),
        );
        return { op: 'list_entities_by_domain', entities: found.slice(0, query.limit ?? 50).map(withoutDetails), total: found.length, live: query.stateFilter !== undefined };
      }
      case 'get_entity_state':
        return { op: 'get_entity_state', entity: entities.find((e) => e.entity_id === query.entityId) ?? null };
      case 'get_domain_summary': {
        const inDomain = entities.filter((e) => e.domain === query.domain);
        return { op: 'get_domain_summary', domain: query.domain, count: inDomain.length, states: countBy(inDomain, (e) => e.state), areas: countBy(inDomain, (e) => e.area ?? '(no area)') };
      }
      case 'list_automations':
        return { op: 'list_automations', automations: automations.map(({ config: _config, ...view }) => view) };
      case 'get_automation_config':
        return { op: 'get_automation_config', automation: automations.find((a) => a.entity_id === query.automation || a.id === query.automation) ?? null };
      case 'catalog_summary':
        return { op: 'catalog_summary', summary: this.summary() };
      case 'discover':
        throw new AgentError('invalid_input', 'the fixture librarian does not discover', 'librarian');
    }
  }

  private summary(): CatalogSummary {
    const { entities } = this.fixture;
    return {
      entity_count: entities.length,
      domains: countBy(entities, (e) => e.domain),
      areas: [...new Set(entities.map((e) => e.area).filter((a): a is string => a !== null))],
      floors: [],
      device_count: new Set(entities.map((e) => e.device).filter(Boolean)).size,
      automation_count: this.fixture.automations?.length ?? 0,
      script_count: 0,
      scene_count: 0,
      last_discovery_at: '2026-11-29T12:00:00.000Z',
      ...this.fixture.summary,
    };
  }
}

function withoutDetails({ attributes: _attributes, last_changed: _lastChanged, ...view }: CatalogEntityView): CatalogEntityView {
  return view;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** A small home: lights in three rooms (two on), a front door lock, temperature sensors, automations. */
export const DEMO_FIXTURE: LibrarianFixture = {
  entities: [
    entity('light.kitchen', 'Kitchen Light', 'on', 'Kitchen'),
    entity('light.living_room', 'Living Room Light', 'on', 'Living Room'),
    entity('light.bedroom', 'Bedroom Light', 'off', 'Bedroom'),
    entity('lock.front_door', 'Front Door Lock', 'locked', 'Hallway', { device: 'Front Door' }),
    entity('binary_sensor.front_door', 'Front Door', 'off', 'Hallway', { device: 'Front Door' }),
    entity('sensor.bedroom_temperature', 'Bedroom Temperature', '19.5', 'Bedroom', { attributes: { unit_of_measurement: '°C', device_class: 'temperature' } }),
    entity('sensor.bedroom_humidity', 'Bedroom Humidity', '48', 'Bedroom', { attributes: { unit_of_measurement: '%', device_class: 'humidity' } }),
  ],
  automations: [
    {
      entity_id: 'automation.morning_lights',
      id: '1700000000001',
      alias: 'Morning lights',
      state: 'on',
      mode: 'single',
      trigger_types: ['time'],
      last_triggered: '2026-11-29T06:30:00.000Z',
      config: { alias: 'Morning lights', triggers: [{ trigger: 'time', at: '06:30:00' }], actions: [{ action: 'light.turn_on', target: { entity_id: 'light.kitchen' } }] },
    },
    {
      entity_id: 'automation.night_lock',
      id: '1700000000002',
      alias: 'Lock the door at night',
      state: 'off',
      mode: 'single',
      trigger_types: ['time'],
      last_triggered: null,
      config: null,
    },
  ],
};

function entity(
  entityId: string,
  name: string,
  state: string,
  area: string | null,
  extra: { device?: string; attributes?: Record<string, unknown> } = {},
): CatalogEntityView {
  return {
    entity_id: entityId,
    name,
    domain: entityId.split('.')[0],
    state,
    area,
    device: extra.device ?? null,
    unit: typeof extra.attributes?.['unit_of_measurement'] === 'string' ? extra.attributes['unit_of_measurement'] : null,
    attributes: { friendly_name: name, ...extra.attributes },
    last_changed: '2026-11-29T11:00:00.000Z',
  };
}
