import type { CatalogEntityView, CatalogQuery, CatalogQueryResult } from '@aether/core';
import type { HomeAssistantClient } from '@aether/home-assistant';
import type { CatalogStore } from '@aether/persistence';
import { domainOf, stringAttribute } from '../discovery/catalog-rows';
import type { DiscoveryService } from '../discovery/discovery.service';
import { searchWords } from './words';

const DEFAULT_LIMIT = 50;

/**
 * Answers the catalog protocol. Live state (`get_entity_state`, and `list_entities_by_domain` with
 * a state filter) is read from Home Assistant, with area and device from the catalog; everything
 * else comes from the catalog. Only ever reads Home Assistant.
 */
export class CatalogQueryHandler {
  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly store: CatalogStore,
    private readonly discovery: DiscoveryService,
  ) {}

  async answer(query: CatalogQuery, triggeredBy = 'catalog_request'): Promise<CatalogQueryResult> {
    if (query.op === 'discover') {
      return { op: 'discover', session: await this.discovery.discover({ triggeredBy, domainFilter: query.domainFilter }) };
    }
    await this.discovery.ensureCatalog();
    switch (query.op) {
      case 'search_entities': {
        const { entities, total } = await this.store.queryEntities({ words: searchWords(query.query), domain: query.domain, area: query.area, limit: query.limit ?? DEFAULT_LIMIT });
        return { op: 'search_entities', entities, total, live: false };
      }
      case 'get_entity_state':
        return { op: 'get_entity_state', entity: await this.liveEntity(query.entityId) };
      case 'list_entities_by_domain': {
        const limit = query.limit ?? DEFAULT_LIMIT;
        if (query.stateFilter === undefined) {
          const { entities, total } = await this.store.queryEntities({ domain: query.domain, area: query.area, limit });
          return { op: 'list_entities_by_domain', entities, total, live: false };
        }
        const entities = await this.liveEntitiesInState(query.domain, query.stateFilter, query.area);
        return { op: 'list_entities_by_domain', entities: entities.slice(0, limit), total: entities.length, live: true };
      }
      case 'get_domain_summary':
        return { op: 'get_domain_summary', ...(await this.store.domainSummary(query.domain)) };
      case 'list_automations':
        return { op: 'list_automations', automations: await this.store.listAutomations() };
      case 'get_automation_config':
        return { op: 'get_automation_config', automation: await this.store.getAutomation(query.automation) };
      case 'catalog_summary': {
        // The zone lets prompts say the home's local time; the summary still answers without it.
        const [summary, timeZone] = await Promise.all([this.store.summary(), this.homeAssistant.getConfig().then((config) => config.time_zone, () => undefined)]);
        return { op: 'catalog_summary', summary: timeZone ? { ...summary, time_zone: timeZone } : summary };
      }
    }
  }

  private async liveEntity(entityId: string): Promise<CatalogEntityView | null> {
    const [live, catalogued] = await Promise.all([this.homeAssistant.getState(entityId), this.store.getEntity(entityId)]);
    if (!live) return null;
    return {
      entity_id: live.entity_id,
      name: stringAttribute(live, 'friendly_name') ?? catalogued?.name ?? live.entity_id,
      domain: domainOf(live.entity_id),
      state: live.state,
      area: catalogued?.area ?? null,
      device: catalogued?.device ?? null,
      unit: stringAttribute(live, 'unit_of_measurement') ?? null,
      attributes: live.attributes,
      last_changed: live.last_changed ?? null,
    };
  }

  private async liveEntitiesInState(domain: string, state: string, area: string | undefined): Promise<CatalogEntityView[]> {
    const live = (await this.homeAssistant.getStates()).filter((s) => domainOf(s.entity_id) === domain && s.state === state);
    if (live.length === 0) return [];
    const { entities: catalogued } = await this.store.queryEntities({ entityIds: live.map((s) => s.entity_id), area, limit: live.length });
    const context = new Map(catalogued.map((e) => [e.entity_id, e]));
    return live
      .filter((s) => !area || context.has(s.entity_id))
      .map((s) => ({
        entity_id: s.entity_id,
        name: stringAttribute(s, 'friendly_name') ?? context.get(s.entity_id)?.name ?? s.entity_id,
        domain,
        state: s.state,
        area: context.get(s.entity_id)?.area ?? null,
        device: context.get(s.entity_id)?.device ?? null,
        unit: stringAttribute(s, 'unit_of_measurement') ?? null,
      }))
      .sort((a, b) => a.entity_id.localeCompare(b.entity_id));
  }
}
