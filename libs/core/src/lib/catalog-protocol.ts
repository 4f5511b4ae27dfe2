/**
 * The Librarian owns the catalog of the home (entities, devices, areas, automations, scripts,
 * scenes). Other agents query it through their `AgentClient` for the librarian — in-process or
 * over A2A — by sending an `AgentRequest` whose `data[CATALOG_REQUEST_KEY]` is a `CatalogQuery`;
 * the Librarian answers with a `result` event whose `data[CATALOG_REQUEST_KEY]` is the matching
 * `CatalogQueryResult` (and no tokens). A plain-text request (no catalog key) is a chat question
 * ("what devices do I have in the kitchen?") answered in words.
 */
export const CATALOG_REQUEST_KEY = 'catalog';

export type CatalogQuery =
  /** Entities whose id, name, area or device name matches the words of `query`. */
  | { op: 'search_entities'; query: string; domain?: string; area?: string; limit?: number }
  /** Live state from Home Assistant, with catalog context (area, device). */
  | { op: 'get_entity_state'; entityId: string }
  /** Entities of a domain; with `stateFilter` the states are read live from HA (freshness matters). */
  | { op: 'list_entities_by_domain'; domain: string; stateFilter?: string; area?: string; limit?: number }
  | { op: 'get_domain_summary'; domain: string }
  | { op: 'list_automations' }
  /** By automation entity id (`automation.x`) or HA automation config id. */
  | { op: 'get_automation_config'; automation: string }
  /** Compact summary for prompts: counts per domain, area names — never the entity list. */
  | { op: 'catalog_summary' }
  /** Runs a full discovery now (optionally one domain) and answers with the session. */
  | { op: 'discover'; domainFilter?: string };

export type CatalogOp = CatalogQuery['op'];

export interface CatalogEntityView {
  entity_id: string;
  name: string;
  domain: string;
  state: string;
  area: string | null;
  device: string | null;
  /** Unit of a numeric state (`unit_of_measurement`: "W", "°C", "%"), null when it has none. */
  unit: string | null;
  /** Only for single-entity answers (`get_entity_state`). */
  attributes?: Record<string, unknown>;
  last_changed?: string | null;
}

export interface CatalogAutomationView {
  entity_id: string;
  /** HA's automation config id (`/api/config/automation/config/<id>`), when it has one. */
  id: string | null;
  alias: string;
  state: string;
  mode: string | null;
  trigger_types: string[];
  last_triggered: string | null;
  /** Set for a blueprint-based automation: its triggers and actions come from this blueprint, given these inputs. */
  blueprint?: CatalogBlueprintUse;
}

/** A blueprint an automation or script is made from: its path under `blueprints/<domain>/` and the inputs given. */
export interface CatalogBlueprintUse {
  path: string;
  input: Record<string, unknown>;
}

/** The `use_blueprint` of a stored automation or script config, when it is blueprint-based. */
export function blueprintUseOf(config: Record<string, unknown> | null | undefined): CatalogBlueprintUse | null {
  const use = config?.['use_blueprint'];
  if (!use || typeof use !== 'object' || typeof (use as Record<string, unknown>)['path'] !== 'string') return null;
  const input = (use as Record<string, unknown>)['input'];
  return { path: (use as { path: string }).path, input: input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {} };
}

export interface CatalogSummary {
  entity_count: number;
  /** Entity count per domain, largest first. */
  domains: Record<string, number>;
  areas: string[];
  floors: string[];
  device_count: number;
  automation_count: number;
  script_count: number;
  scene_count: number;
  /** ISO time of the last completed discovery; null before the first one. */
  last_discovery_at: string | null;
  /** The home's IANA time zone (Home Assistant's `time_zone`); absent when HA did not say. */
  time_zone?: string;
}

export interface DiscoveryCounts {
  added: number;
  updated: number;
  removed: number;
}

export interface DiscoverySessionView {
  id: string;
  kind: 'full' | 'delta';
  triggered_by: string;
  status: 'running' | 'completed' | 'failed';
  started_at: string;
  finished_at: string | null;
  entities_found: number;
  devices_found: number;
  areas_found: number;
  automations_found: number;
  scripts_found: number;
  scenes_found: number;
  entities: DiscoveryCounts;
  domain_counts: Record<string, number>;
  error: string | null;
}

export type CatalogQueryResult =
  | { op: 'search_entities' | 'list_entities_by_domain'; entities: CatalogEntityView[]; total: number; live: boolean }
  | { op: 'get_entity_state'; entity: CatalogEntityView | null }
  | { op: 'get_domain_summary'; domain: string; count: number; states: Record<string, number>; areas: Record<string, number> }
  | { op: 'list_automations'; automations: CatalogAutomationView[] }
  | { op: 'get_automation_config'; automation: (CatalogAutomationView & { config: Record<string, unknown> | null }) | null }
  | { op: 'catalog_summary'; summary: CatalogSummary }
  | { op: 'discover'; session: DiscoverySessionView };
