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

/**
 * `energy/get_prefs` (WebSocket). Two grid shapes exist: the newest HA (energy store minor version 3) stores one unified source per
 * grid connection (`stat_energy_from`/`stat_energy_to` and their prices on the source itself);
 * older versions one legacy source with `flow_from`/`flow_to` lists. Clients must read both.
 */
export interface HaEnergyPrefs {
  energy_sources: HaEnergySource[];
  device_consumption: Array<{ stat_consumption: string; stat_rate?: string; name?: string | null; included_in_stat?: string }>;
  device_consumption_water?: Array<{ stat_consumption: string }>;
}
export interface HaEnergySource {
  type: 'grid' | 'solar' | 'wind' | 'battery' | 'gas' | 'water';
  /** Legacy grid: the import meters. */
  flow_from?: Array<{ stat_energy_from: string; stat_cost?: string | null; entity_energy_price?: string | null; number_energy_price?: number | null }>;
  /** Legacy grid: the export meters. */
  flow_to?: Array<{ stat_energy_to: string; stat_compensation?: string | null; entity_energy_price?: string | null; number_energy_price?: number | null }>;
  /** Unified grid (null: an export- or power-only connection), solar, wind, battery, gas, water. */
  stat_energy_from?: string | null;
  stat_energy_to?: string | null;
  stat_cost?: string | null;
  entity_energy_price?: string | null;
  number_energy_price?: number | null;
  stat_compensation?: string | null;
  entity_energy_price_export?: string | null;
  number_energy_price_export?: number | null;
  stat_rate?: string;
  cost_adjustment_day?: number;
  config_entry_solar_forecast?: string[] | null;
  config_entry_wind_forecast?: string[] | null;
}

/** `GET /api/services` / WS `get_services`: every service of every domain. */
export interface HaServiceDomain {
  domain: string;
  services: Record<string, HaServiceDescription>;
}
export interface HaServiceDescription {
  name?: string;
  description?: string;
  fields: Record<string, unknown>;
  target?: Record<string, unknown>;
  response?: { optional: boolean };
}
/** WS `get_services` answers `{ [domain]: { [service]: description } }`. */
export type HaServicesByDomain = Record<string, Record<string, HaServiceDescription>>;

/** What to act on in a service call (`target` of `call_service`). */
export interface HaServiceTarget {
  entity_id?: string | string[];
  device_id?: string | string[];
  area_id?: string | string[];
  floor_id?: string | string[];
  label_id?: string | string[];
}

/** `POST /api/services/<domain>/<service>`: the states that changed while the service ran. */
export interface HaServiceCallResult {
  changed_states: HaEntityState[];
  /** Present when called with `?return_response` on a service that responds. */
  service_response?: Record<string, unknown>;
}
export interface HaServiceCallOptions {
  /**
   * Ask for the service's response (`?return_response`). HA refuses it (HTTP 400) for services
   * that cannot respond, and requires it for services that only respond.
   */
  returnResponse?: boolean;
}

/** `GET /api/logbook/<start>` and WS `logbook/get_events`. */
export interface HaLogbookEntry {
  when: string | number;
  name?: string;
  message?: string;
  entity_id?: string;
  state?: string;
  domain?: string;
  icon?: string;
  context_id?: string | null;
  context_user_id?: string | null;
  context_event_type?: string;
  context_domain?: string;
  context_service?: string;
  context_entity_id?: string;
  context_entity_id_name?: string;
  context_name?: string;
  context_message?: string;
}
export interface HaLogbookQuery {
  start: Date;
  end?: Date;
  entityIds?: string[];
}

/** `POST /api/config/core/check_config`. */
export interface HaConfigCheckResult {
  result: 'valid' | 'invalid';
  errors: string | null;
  warnings: string | null;
}

/**
 * A list in a stored config. HA's config API returns the YAML file's content as written, and a
 * hand-written automation or script may hold one trigger/condition/action as a single mapping.
 */
export type HaConfigItems = unknown[] | Record<string, unknown>;

/** An automation's stored config (`/api/config/automation/config/<id>`), HA's key order. */
export interface HaAutomationConfig {
  id?: string;
  alias?: string;
  description?: string;
  mode?: 'single' | 'restart' | 'queued' | 'parallel';
  triggers?: HaConfigItems;
  conditions?: HaConfigItems;
  actions?: HaConfigItems;
  /** Pre-2024.10 plural-less keys still found in older configs. */
  trigger?: HaConfigItems;
  condition?: HaConfigItems;
  action?: HaConfigItems;
  /** A blueprint-based automation: HA stores the blueprint and its inputs instead of triggers and actions. */
  use_blueprint?: HaBlueprintUse;
  [key: string]: unknown;
}
/** `use_blueprint` of a blueprint-based automation or script: the blueprint's path under `blueprints/<domain>/` and the inputs given. */
export interface HaBlueprintUse {
  path: string;
  input?: Record<string, unknown>;
}
/** A script's stored config (`/api/config/script/config/<object_id>`): a `sequence`, or `use_blueprint` instead. */
export interface HaScriptConfig {
  alias?: string;
  description?: string;
  mode?: string;
  fields?: Record<string, unknown>;
  sequence?: HaConfigItems;
  use_blueprint?: HaBlueprintUse;
  [key: string]: unknown;
}
/** A scene's stored config (`/api/config/scene/config/<id>`). */
export interface HaSceneConfig {
  id?: string;
  name: string;
  entities: Record<string, unknown>;
  icon?: string;
  [key: string]: unknown;
}
/** WS `auth/current_user`: the user the access token belongs to. */
export interface HaCurrentUser {
  id: string;
  name: string | null;
  is_owner: boolean;
  /** HA refuses admin-only endpoints (config APIs, templates, the error log…) to other users. */
  is_admin: boolean;
  [key: string]: unknown;
}
/** Answer of a config write (create-or-update / delete): `{ result: "ok" }`. */
export interface HaConfigWriteResult {
  result: 'ok';
}

/** `GET /api/config/config_entries/entry`. */
export interface HaConfigEntry {
  entry_id: string;
  domain: string;
  title: string;
  source: string;
  state:
    | 'loaded'
    | 'setup_error'
    | 'migration_error'
    | 'setup_retry'
    | 'not_loaded'
    | 'failed_unload'
    | 'setup_in_progress'
    | 'unload_in_progress';
  supports_options?: boolean;
  supports_remove_device?: boolean;
  supports_unload?: boolean;
  supports_reconfigure?: boolean;
  pref_disable_new_entities?: boolean;
  pref_disable_polling?: boolean;
  disabled_by: string | null;
  reason: string | null;
  error_reason_translation_key?: string | null;
  num_subentries?: number;
}

/** WS `config/entity_registry/list`. */
export interface HaEntityRegistryEntry {
  entity_id: string;
  id: string;
  unique_id?: string;
  platform: string;
  config_entry_id: string | null;
  device_id: string | null;
  area_id: string | null;
  name: string | null;
  original_name?: string | null;
  icon: string | null;
  disabled_by: string | null;
  hidden_by: string | null;
  entity_category: 'config' | 'diagnostic' | null;
  has_entity_name: boolean;
  labels: string[];
  translation_key?: string | null;
  options?: Record<string, unknown> | null;
  created_at?: number;
  modified_at?: number;
}

/** WS `config/device_registry/list`. */
export interface HaDeviceRegistryEntry {
  id: string;
  name: string | null;
  name_by_user: string | null;
  manufacturer: string | null;
  model: string | null;
  model_id?: string | null;
  sw_version: string | null;
  hw_version: string | null;
  serial_number?: string | null;
  area_id: string | null;
  config_entries: string[];
  connections: Array<[string, string]>;
  identifiers: Array<[string, string]>;
  via_device_id: string | null;
  disabled_by: string | null;
  entry_type: 'service' | null;
  configuration_url?: string | null;
  labels: string[];
  created_at?: number;
  modified_at?: number;
}

/** WS `config/area_registry/list`. */
export interface HaAreaRegistryEntry {
  area_id: string;
  name: string;
  floor_id: string | null;
  icon: string | null;
  picture: string | null;
  aliases: string[];
  labels: string[];
  humidity_entity_id?: string | null;
  temperature_entity_id?: string | null;
  created_at?: number;
  modified_at?: number;
}

/** WS `config/floor_registry/list`. */
export interface HaFloorRegistryEntry {
  floor_id: string;
  name: string;
  level: number | null;
  icon: string | null;
  aliases: string[];
  created_at?: number;
  modified_at?: number;
}

export type HaStatisticsPeriod = '5minute' | 'hour' | 'day' | 'week' | 'month';
export type HaStatisticType = 'change' | 'last_reset' | 'max' | 'mean' | 'min' | 'state' | 'sum';

/** WS `recorder/statistics_during_period`. */
export interface HaStatisticsQuery {
  start: Date;
  end?: Date;
  statisticIds: string[];
  period: HaStatisticsPeriod;
  types?: HaStatisticType[];
  units?: Record<string, string>;
}
/** One row of long-term statistics; `start`/`end` are epoch milliseconds (HA ≥ 2023.3). */
export interface HaStatisticValue {
  start: number;
  end: number;
  change?: number | null;
  last_reset?: number | null;
  max?: number | null;
  mean?: number | null;
  min?: number | null;
  state?: number | null;
  sum?: number | null;
}
export type HaStatisticsResult = Record<string, HaStatisticValue[]>;

/** WS `recorder/list_statistic_ids`. */
export interface HaStatisticMetadata {
  statistic_id: string;
  display_unit_of_measurement: string | null;
  has_mean: boolean;
  mean_type?: number;
  has_sum: boolean;
  name: string | null;
  source: string;
  statistics_unit_of_measurement: string | null;
  unit_class: string | null;
}

/** WS `logbook/get_events`. */
export interface HaLogbookEventsQuery {
  start: Date;
  end?: Date;
  entityIds?: string[];
  deviceIds?: string[];
}

/**
 * WS `lovelace/config`: a dashboard's config (views, cards…). A strategy-generated dashboard has
 * `strategy` instead of `views`.
 */
/** A dashboard as `lovelace/dashboards/list` shows it (storage mode; YAML dashboards carry `filename`). */
export interface HaLovelaceDashboard {
  id: string;
  url_path: string;
  title: string;
  icon?: string;
  show_in_sidebar: boolean;
  require_admin: boolean;
  mode: 'storage' | 'yaml';
  [key: string]: unknown;
}

/** What `lovelace/dashboards/create` takes: the url path must contain a hyphen. */
export interface HaLovelaceDashboardCreate {
  url_path: string;
  title: string;
  icon?: string;
  show_in_sidebar?: boolean;
  require_admin?: boolean;
}

export interface HaLovelaceConfig {
  title?: string;
  views?: Array<Record<string, unknown>>;
  strategy?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * One change from `subscribe_entities`, as the library's compressed-state handling reports it:
 * the full set of current states after each message.
 */
export type HaEntitiesSnapshot = Record<string, HaEntityState>;

/** A live `subscribe_entities` subscription (reconnects and resubscribes on its own). */
export interface HaEntitiesSubscription {
  unsubscribe(): Promise<void>;
}
