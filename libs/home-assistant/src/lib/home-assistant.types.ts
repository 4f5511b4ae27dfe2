/** Shapes of Home Assistant's REST/WebSocket API (developers.home-assistant.io/docs/api/rest). */

export interface HaContext {
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

export interface HaEntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  last_reported?: string;
  context?: HaContext;
}

export interface HaCoreConfig {
  location_name: string;
  latitude: number;
  longitude: number;
  elevation: number;
  unit_system: Record<string, string>;
  time_zone: string;
  components: string[];
  version: string;
  currency?: string;
  country?: string | null;
  language?: string;
  state?: string;
}

export interface HaHistoryQuery {
  start: Date;
  end?: Date;
  entityIds: string[];
  minimalResponse?: boolean;
  noAttributes?: boolean;
  significantChangesOnly?: boolean;
}

/**
 * One state in a history series. With `minimal_response` only the first state of a series carries
 * `entity_id`/`attributes`; the rest have just `state` and `last_changed`.
 */
export interface HaHistoryState {
  entity_id?: string;
  state: string;
  attributes?: Record<string, unknown>;
  last_changed: string;
  last_updated?: string;
}

/** `energy/get_prefs` (WebSocket). */
export interface HaEnergyPrefs {
  energy_sources: Array<{
    type: 'grid' | 'solar' | 'battery' | 'gas' | 'water';
    flow_from?: Array<{ stat_energy_from: string; stat_cost?: string | null; entity_energy_price?: string | null; number_energy_price?: number | null }>;
    flow_to?: Array<{ stat_energy_to: string; stat_compensation?: string | null }>;
    stat_energy_from?: string;
    stat_energy_to?: string;
    cost_adjustment_day?: number;
  }>;
  device_consumption: Array<{ stat_consumption: string; name?: string; included_in_stat?: string }>;
  device_consumption_water?: Array<{ stat_consumption: string }>;
}
