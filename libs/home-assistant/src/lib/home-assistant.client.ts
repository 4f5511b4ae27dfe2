import type { HaHelperConfig, HaHelperDomain, HaHelperItem } from './helper-contract';
import type {
  HaAreaRegistryEntry,
  HaAutomationConfig,
  HaConfigCheckResult,
  HaConfigEntry,
  HaConfigWriteResult,
  HaCoreConfig,
  HaCurrentUser,
  HaDeviceRegistryEntry,
  HaEnergyPrefs,
  HaEntitiesSnapshot,
  HaEntitiesSubscription,
  HaEntityRegistryEntry,
  HaEntityState,
  HaFloorRegistryEntry,
  HaHistoryQuery,
  HaHistoryState,
  HaLogbookEntry,
  HaLogbookEventsQuery,
  HaLogbookQuery,
  HaLovelaceConfig,
  HaLovelaceDashboard,
  HaLovelaceDashboardCreate,
  HaSceneConfig,
  HaScriptConfig,
  HaServiceCallOptions,
  HaServiceCallResult,
  HaServiceDomain,
  HaServicesByDomain,
  HaServiceTarget,
  HaStatisticMetadata,
  HaStatisticsQuery,
  HaStatisticsResult,
} from './home-assistant.types';

export type HomeAssistantErrorKind = 'unreachable' | 'auth' | 'timeout' | 'not_found' | 'http' | 'protocol';

/** A failed HA call; the message says which failure it was and what to check. */
export class HomeAssistantError extends Error {
  constructor(
    readonly kind: HomeAssistantErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HomeAssistantError';
  }
}

/**
 * Client for one Home Assistant instance (a real one via HA_URL/HA_TOKEN, or the bundled demo
 * home). REST through fetch, WebSocket through home-assistant-js-websocket. Used as a Nest DI token.
 */
export abstract class HomeAssistantClient {
  abstract readonly baseUrl: string;
  /** GET /api/ — `{ message: "API running." }`. */
  abstract ping(): Promise<{ message: string }>;
  abstract getConfig(): Promise<HaCoreConfig>;
  abstract getStates(): Promise<HaEntityState[]>;
  /** null when the entity does not exist (HA answers 404). */
  abstract getState(entityId: string): Promise<HaEntityState | null>;
  /** GET /api/history/period/<start>: one array of states per entity, oldest first. */
  abstract getHistory(query: HaHistoryQuery): Promise<HaHistoryState[][]>;
  /**
   * The same history as HA sent it: UTF-8 JSON bytes, neither decoded, parsed nor validated. A
   * long window is megabytes, so a caller computing in a worker thread transfers the bytes there
   * (zero-copy) and decodes, parses and validates (`historySchema`) off the event loop. Clients that
   * hold the history as objects serialise it.
   */
  async getRawHistory(query: HaHistoryQuery): Promise<Uint8Array> {
    return new TextEncoder().encode(JSON.stringify(await this.getHistory(query)));
  }
  /** WS `energy/get_prefs`; null when HA has no energy configuration. */
  abstract getEnergyPrefs(): Promise<HaEnergyPrefs | null>;

  // ── REST ──────────────────────────────────────────────────────────────────────────────────
  /** GET /api/services. */
  abstract getServices(): Promise<HaServiceDomain[]>;
  /**
   * POST /api/services/<domain>/<service>. A mutation of the home: callers outside the Developer's
   * approved-deploy path must not use it (no HA change without an approved proposal).
   */
  abstract callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: HaServiceTarget,
    options?: HaServiceCallOptions,
  ): Promise<HaServiceCallResult>;
  /** GET /api/logbook/<start>. */
  abstract getLogbook(query: HaLogbookQuery): Promise<HaLogbookEntry[]>;
  /** GET /api/error_log (plain text); null where HA has none (HA OS / Supervised installs answer 404). */
  abstract getErrorLog(): Promise<string | null>;
  /** POST /api/template: renders a Jinja template with HA's helpers. */
  abstract renderTemplate(template: string, variables?: Record<string, unknown>): Promise<string>;
  /** POST /api/config/core/check_config. */
  abstract checkConfig(): Promise<HaConfigCheckResult>;
  /** GET /api/config/automation/config/<id>; null when there is no such automation. */
  abstract getAutomationConfig(id: string): Promise<HaAutomationConfig | null>;
  abstract saveAutomationConfig(id: string, config: HaAutomationConfig): Promise<HaConfigWriteResult>;
  abstract deleteAutomationConfig(id: string): Promise<HaConfigWriteResult>;
  /** GET /api/config/script/config/<object_id>; null when there is no such script. */
  abstract getScriptConfig(objectId: string): Promise<HaScriptConfig | null>;
  abstract saveScriptConfig(objectId: string, config: HaScriptConfig): Promise<HaConfigWriteResult>;
  abstract deleteScriptConfig(objectId: string): Promise<HaConfigWriteResult>;
  /** GET /api/config/scene/config/<id>; null when there is no such scene. */
  abstract getSceneConfig(id: string): Promise<HaSceneConfig | null>;
  abstract saveSceneConfig(id: string, config: HaSceneConfig): Promise<HaConfigWriteResult>;
  abstract deleteSceneConfig(id: string): Promise<HaConfigWriteResult>;
  /** GET /api/config/config_entries/entry. */
  abstract getConfigEntries(): Promise<HaConfigEntry[]>;

  // ── WebSocket ─────────────────────────────────────────────────────────────────────────────
  /** WS `auth/current_user`: who the token belongs to, and whether that user is an administrator. */
  abstract getCurrentUser(): Promise<HaCurrentUser>;
  /** WS `get_states`: the same states as `GET /api/states`. */
  abstract getStatesViaWebSocket(): Promise<HaEntityState[]>;
  /** WS `get_services`. */
  abstract getServicesViaWebSocket(): Promise<HaServicesByDomain>;
  abstract getEntityRegistry(): Promise<HaEntityRegistryEntry[]>;
  abstract getDeviceRegistry(): Promise<HaDeviceRegistryEntry[]>;
  abstract getAreaRegistry(): Promise<HaAreaRegistryEntry[]>;
  abstract getFloorRegistry(): Promise<HaFloorRegistryEntry[]>;
  /** WS `recorder/statistics_during_period`. */
  abstract getStatisticsDuringPeriod(query: HaStatisticsQuery): Promise<HaStatisticsResult>;
  /** WS `recorder/list_statistic_ids` (optionally only `sum` or `mean` statistics). */
  abstract listStatisticIds(statisticType?: 'sum' | 'mean'): Promise<HaStatisticMetadata[]>;
  /** WS `logbook/get_events`. */
  abstract getLogbookEvents(query: HaLogbookEventsQuery): Promise<HaLogbookEntry[]>;
  /** WS `lovelace/config`; null when the dashboard has no stored config (`config_not_found`). */
  abstract getLovelaceConfig(urlPath?: string | null): Promise<HaLovelaceConfig | null>;
  /** WS `lovelace/config/save`. A mutation: only for approved deploys. */
  abstract saveLovelaceConfig(config: HaLovelaceConfig, urlPath?: string | null): Promise<void>;
  /** WS `lovelace/config/delete`: the dashboard stays, without a stored config. A mutation: only for approved deploys. */
  abstract deleteLovelaceConfig(urlPath?: string | null): Promise<void>;
  /** WS `lovelace/dashboards/list`. */
  abstract listLovelaceDashboards(): Promise<HaLovelaceDashboard[]>;
  /** WS `lovelace/dashboards/create`. A mutation: only for approved deploys. */
  abstract createLovelaceDashboard(dashboard: HaLovelaceDashboardCreate): Promise<HaLovelaceDashboard>;
  /** WS `lovelace/dashboards/delete` (by its id, the url path for dashboards made by `create`). A mutation: only for approved deploys. */
  abstract deleteLovelaceDashboard(dashboardId: string): Promise<void>;
  /** WS `<domain>/list`: the UI-made (storage) helpers of a helper domain; YAML ones are not listed. */
  abstract listHelpers(domain: HaHelperDomain): Promise<HaHelperItem[]>;
  /** WS `<domain>/create`: HA picks the id (its name slugified, `_2`… when taken) and adds the entity. A mutation: only for approved deploys. */
  abstract createHelper(domain: HaHelperDomain, config: HaHelperConfig): Promise<HaHelperItem>;
  /** WS `<domain>/update` with `<domain>_id`: HA replaces the item's config. A mutation: only for approved deploys. */
  abstract updateHelper(domain: HaHelperDomain, id: string, config: HaHelperConfig): Promise<HaHelperItem>;
  /** WS `<domain>/delete`: the helper and its entity go. A mutation: only for approved deploys. */
  abstract deleteHelper(domain: HaHelperDomain, id: string): Promise<void>;
  /**
   * WS `subscribe_entities` on a connection of its own that reconnects (and resubscribes) after a
   * drop. `onChange` gets the full current states after every message from HA.
   */
  abstract subscribeEntities(onChange: (states: HaEntitiesSnapshot) => void): Promise<HaEntitiesSubscription>;

  /** Closes the WebSocket connections, if any. */
  abstract close(): Promise<void>;
}
