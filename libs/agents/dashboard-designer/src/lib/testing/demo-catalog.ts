import type { AgentCallResult, AgentClient, AgentEvent, AgentRequest, CatalogEntityView, CatalogQuery, CatalogQueryResult } from '@aether/core';
import { CATALOG_REQUEST_KEY } from '@aether/core';
import type { HomeAssistantClient } from '@aether/home-assistant';

/**
 * The catalog of a live home as the Librarian builds it (area from the entity, else its device;
 * no diagnostic or config entities), read straight from HA's registries: the tests' stand-in for
 * the Librarian, so layouts are checked against a real home's entities.
 */
export async function catalogOf(ha: HomeAssistantClient): Promise<{ entities: CatalogEntityView[]; areas: string[] }> {
  const [states, entries, devices, areas] = await Promise.all([ha.getStates(), ha.getEntityRegistry(), ha.getDeviceRegistry(), ha.getAreaRegistry()]);
  const areaName = new Map(areas.map((area) => [area.area_id, area.name]));
  const deviceArea = new Map(devices.map((device) => [device.id, device.area_id]));
  const entry = new Map(entries.map((e) => [e.entity_id, e]));
  const entities = states
    .filter((state) => !entry.get(state.entity_id)?.entity_category)
    .map((state): CatalogEntityView => {
      const registered = entry.get(state.entity_id);
      const areaId = registered?.area_id ?? (registered?.device_id ? deviceArea.get(registered.device_id) : null) ?? null;
      const unit = state.attributes['unit_of_measurement'];
      return {
        entity_id: state.entity_id,
        name: String(state.attributes['friendly_name'] ?? state.entity_id),
        domain: state.entity_id.split('.')[0],
        state: state.state,
        area: areaId ? (areaName.get(areaId) ?? null) : null,
        device: null,
        unit: typeof unit === 'string' ? unit : null,
      };
    });
  return { entities, areas: areas.map((area) => area.name).sort() };
}

/** A Librarian that answers the catalog queries the Designer sends, from `catalogOf`. */
export class CatalogLibrarian implements AgentClient {
  readonly agent = 'librarian' as const;
  readonly queries: CatalogQuery[] = [];

  constructor(private readonly catalog: { entities: CatalogEntityView[]; areas: string[] }) {}

  async *stream(request: AgentRequest): AsyncIterable<AgentEvent> {
    yield { type: 'result', agent: this.agent, data: (await this.send(request)).data };
  }

  async send(request: AgentRequest): Promise<AgentCallResult> {
    const query = request.data?.[CATALOG_REQUEST_KEY] as CatalogQuery;
    this.queries.push(query);
    return { text: '', data: { [CATALOG_REQUEST_KEY]: this.answer(query) }, events: [], taskId: 't' };
  }

  private answer(query: CatalogQuery): CatalogQueryResult {
    if (query.op === 'catalog_summary') {
      return { op: 'catalog_summary', summary: { entity_count: this.catalog.entities.length, domains: {}, areas: this.catalog.areas, floors: [], device_count: 0, automation_count: 0, script_count: 0, scene_count: 0, last_discovery_at: null } };
    }
    if (query.op === 'list_entities_by_domain') {
      const entities = this.catalog.entities.filter((e) => e.domain === query.domain && (!query.area || e.area?.toLowerCase() === query.area.toLowerCase()));
      return { op: 'list_entities_by_domain', entities, total: entities.length, live: false };
    }
    throw new Error(`unexpected catalog query ${query.op}`);
  }
}
