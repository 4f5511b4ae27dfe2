import type {
  HaAreaRegistryEntry,
  HaAutomationConfig,
  HaConfigEntry,
  HaCoreConfig,
  HaDeviceRegistryEntry,
  HaEnergyPrefs,
  HaEntityRegistryEntry,
  HaEntityState,
  HaFloorRegistryEntry,
  HaHistoryState,
  HaLogbookEntry,
  HaLovelaceConfig,
  HaSceneConfig,
  HaScriptConfig,
  HaStatisticMetadata,
  HaStatisticsPeriod,
  HaStatisticsResult,
  HaStatisticType,
} from '@aether/home-assistant';
import type { HistoryRequest } from '../history/history-request';
import type { LocalCalendar } from '../time/local-calendar';

export interface HomeRegistries {
  entities: HaEntityRegistryEntry[];
  devices: HaDeviceRegistryEntry[];
  areas: HaAreaRegistryEntry[];
  floors: HaFloorRegistryEntry[];
}

export interface LogbookRequest {
  startMs: number;
  endMs: number;
  /** Only these entities (all when absent). */
  entityIds?: string[];
}

export interface StatisticsRequest {
  startMs: number;
  endMs: number;
  statisticIds: string[];
  period: HaStatisticsPeriod;
  /** All types the statistic has when absent. */
  types?: HaStatisticType[];
}

/**
 * The recorded home as Home Assistant would report it *without* anything changed through its API:
 * states, history, logbook and long-term statistics as functions of time, registries and stored
 * configs. The built-in `DemoHouse` and a house loaded from `HA_DEMO_FIXTURE` both implement it;
 * the server layers the changes made through services and config writes on top (`LiveHome`).
 */
export interface HomeModel {
  /** The home's time zone (history/logbook timestamps without offset are read in it). */
  readonly calendar: LocalCalendar;
  coreConfig(): HaCoreConfig & Record<string, unknown>;
  states(nowMs: number): HaEntityState[];
  /** undefined for an unknown entity. */
  state(entityId: string, nowMs: number): HaEntityState | undefined;
  /** `GET /api/history/period` rows (already clipped to what the recorder keeps at `nowMs`). */
  history(request: HistoryRequest, nowMs: number): HaHistoryState[][];
  /** Logbook entries in [startMs, endMs), oldest first. */
  logbook(request: LogbookRequest, nowMs: number): HaLogbookEntry[];
  /** `recorder/statistics_during_period` result (only statistics that have rows in the window). */
  statistics(request: StatisticsRequest, nowMs: number): HaStatisticsResult;
  /** `recorder/list_statistic_ids`. */
  statisticIds(): HaStatisticMetadata[];
  /** `energy/get_prefs`; null = the Energy dashboard is not configured (HA answers not_found). */
  energyPrefs(): HaEnergyPrefs | null;
  registries(): HomeRegistries;
  configEntries(): HaConfigEntry[];
  /** `GET /api/error_log` text as of `nowMs`. */
  errorLog(nowMs: number): string;
  /** Stored automation configs (each has an `id`), scripts by object id, scenes (each has an `id`). */
  automationConfigs(): HaAutomationConfig[];
  scriptConfigs(): Record<string, HaScriptConfig>;
  sceneConfigs(): HaSceneConfig[];
  /** The default dashboard's stored config; null = none stored (`config_not_found`). */
  lovelace(): HaLovelaceConfig | null;
}
