import type { HaHelperConfig, HaHelperDomain, HaHelperItem } from './lib/helper-contract';
import { HomeAssistantClient } from './lib/home-assistant.client';
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
  HaServiceTarget,
  HaServicesByDomain,
  HaStatisticMetadata,
  HaStatisticsQuery,
  HaStatisticsResult,
} from './lib/home-assistant.types';

/**
 * Base for test doubles of `HomeAssistantClient`: every call rejects, naming the call, until the
 * test's subclass overrides it. Tests then script only the calls they exercise, and a call they
 * did not expect fails loudly instead of returning a made-up answer.
 */
export class UnscriptedHomeAssistantClient extends HomeAssistantClient {
  readonly baseUrl: string = 'http://127.0.0.1:8123';

  ping(): Promise<{ message: string }> {
    return this.unscripted('ping');
  }

  getConfig(): Promise<HaCoreConfig> {
    return this.unscripted('getConfig');
  }

  getStates(): Promise<HaEntityState[]> {
    return this.unscripted('getStates');
  }

  getState(_entityId: string): Promise<HaEntityState | null> {
    return this.unscripted('getState');
  }

  getHistory(_query: HaHistoryQuery): Promise<HaHistoryState[][]> {
    return this.unscripted('getHistory');
  }

  getEnergyPrefs(): Promise<HaEnergyPrefs | null> {
    return this.unscripted('getEnergyPrefs');
  }

  getServices(): Promise<HaServiceDomain[]> {
    return this.unscripted('getServices');
  }

  callService( _domain: string, _service: string, _data?: Record<string, unknown>, _target?: HaServiceTarget, _options?: HaServiceCallOptions, ): Promise<HaServiceCallResult> {
    return this.unscripted('callService');
  }

  getLogbook(_query: HaLogbookQuery): Promise<HaLogbookEntry[]> {
    return this.unscripted('getLogbook');
  }

  getErrorLog(): Promise<string | null> {
    return this.unscripted('getErrorLog');
  }

  getCurrentUser(): Promise<HaCurrentUser> {
    return this.unscripted('getCurrentUser');
  }

  renderTemplate(_template: string, _variables?: Record<string, unknown>): Promise<string> {
    return this.unscripted('renderTemplate');
  }

  checkConfig(): Promise<HaConfigCheckResult> {
    return this.unscripted('checkConfig');
  }

  getAutomationConfig(_id: string): Promise<HaAutomationConfig | null> {
    return this.unscripted('getAutomationConfig');
  }

  saveAutomationConfig(_id: string, _config: HaAutomationConfig): Promise<HaConfigWriteResult> {
    return this.unscripted('saveAutomationConfig');
  }

  deleteAutomationConfig(_id: string): Promise<HaConfigWriteResult> {
    return this.unscripted('deleteAutomationConfig');
  }

  getScriptConfig(_objectId: string): Promise<HaScriptConfig | null> {
    return this.unscripted('getScriptConfig');
  }

  saveScriptConfig(_objectId: string, _config: HaScriptConfig): Promise<HaConfigWriteResult> {
    return this.unscripted('saveScriptConfig');
  }

  deleteScriptConfig(_objectId: string): Promise<HaConfigWriteResult> {
    return this.unscripted('deleteScriptConfig');
  }

  getSceneConfig(_id: string): Promise<HaSceneConfig | null> {
    return this.unscripted('getSceneConfig');
  }

  saveSceneConfig(_id: string, _config: HaSceneConfig): Promise<HaConfigWriteResult> {
    return this.unscripted('saveSceneConfig');
  }

  deleteSceneConfig(_id: string): Promise<HaConfigWriteResult> {
    return this.unscripted('deleteSceneConfig');
  }

  getConfigEntries(): Promise<HaConfigEntry[]> {
    return this.unscripted('getConfigEntries');
  }

  getStatesViaWebSocket(): Promise<HaEntityState[]> {
    return this.unscripted('getStatesViaWebSocket');
  }

  getServicesViaWebSocket(): Promise<HaServicesByDomain> {
    return this.unscripted('getServicesViaWebSocket');
  }

  getEntityRegistry(): Promise<HaEntityRegistryEntry[]> {
    return this.unscripted('getEntityRegistry');
  }

  getDeviceRegistry(): Promise<HaDeviceRegistryEntry[]> {
    return this.unscripted('getDeviceRegistry');
  }

  getAreaRegistry(): Promise<HaAreaRegistryEntry[]> {
    return this.unscripted('getAreaRegistry');
  }

  getFloorRegistry(): Promise<HaFloorRegistryEntry[]> {
    return this.unscripted('getFloorRegistry');
  }

  getStatisticsDuringPeriod(_query: HaStatisticsQuery): Promise<HaStatisticsResult> {
    return this.unscripted('getStatisticsDuringPeriod');
  }

  listStatisticIds(_statisticType?: 'sum' | 'mean'): Promise<HaStatisticMetadata[]> {
    return this.unscripted('listStatisticIds');
  }

  getLogbookEvents(_query: HaLogbookEventsQuery): Promise<HaLogbookEntry[]> {
    return this.unscripted('getLogbookEvents');
  }

  getLovelaceConfig(_urlPath?: string | null): Promise<HaLovelaceConfig | null> {
    return this.unscripted('getLovelaceConfig');
  }

  saveLovelaceConfig(_config: HaLovelaceConfig, _urlPath?: string | null): Promise<void> {
    return this.unscripted('saveLovelaceConfig');
  }

  deleteLovelaceConfig(_urlPath?: string | null): Promise<void> {
    return this.unscripted('deleteLovelaceConfig');
  }

  listLovelaceDashboards(): Promise<HaLovelaceDashboard[]> {
    return this.unscripted('listLovelaceDashboards');
  }

  createLovelaceDashboard(_dashboard: HaLovelaceDashboardCreate): Promise<HaLovelaceDashboard> {
    return this.unscripted('createLovelaceDashboard');
  }

  deleteLovelaceDashboard(_dashboardId: string): Promise<void> {
    return this.unscripted('deleteLovelaceDashboard');
  }
  listHelpers(_domain: HaHelperDomain): Promise<HaHelperItem[]> {
    return this.unscripted('listHelpers');
  }

  createHelper(_domain: HaHelperDomain, _config: HaHelperConfig): Promise<HaHelperItem> {
    return this.unscripted('createHelper');
  }

  updateHelper(_domain: HaHelperDomain, _id: string, _config: HaHelperConfig): Promise<HaHelperItem> {
    return this.unscripted('updateHelper');
  }

  deleteHelper(_domain: HaHelperDomain, _id: string): Promise<void> {
    return this.unscripted('deleteHelper');
  }


  subscribeEntities(_onChange: (_states: HaEntitiesSnapshot) => void): Promise<HaEntitiesSubscription> {
    return this.unscripted('subscribeEntities');
  }

  async close(): Promise<void> {
    // Nothing is open.
  }

  protected unscripted(call: string): Promise<never> {
    return Promise.reject(new Error(`HomeAssistantClient.${call} is not scripted in this test double`));
  }
}
export * from './testing/fake-home-assistant.server';
