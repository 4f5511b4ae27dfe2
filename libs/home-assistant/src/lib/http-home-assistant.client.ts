import type { HaHelperConfig, HaHelperDomain, HaHelperItem } from './helper-contract';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { z } from 'zod';
import { HomeAssistantClient, HomeAssistantError } from './home-assistant.client';
import { inHomeAssistantSpan, type HomeAssistantConnectionOptions } from './home-assistant-connection-options';
import { HomeAssistantEntitySubscriptions } from './home-assistant-entity-subscriptions';
import { HomeAssistantErrors, isTimeout } from './home-assistant-errors';
import {
  areaRegistrySchema,
  automationConfigSchema,
  configCheckSchema,
  currentUserSchema,
  configEntriesSchema,
  configWriteResultSchema,
  coreConfigSchema,
  deviceRegistrySchema,
  energyPrefsSchema,
  entityRegistrySchema,
  entityStateSchema,
  entityStatesSchema,
  floorRegistrySchema,
  historySchema,
  logbookEntriesSchema,
  lovelaceConfigSchema,
  lovelaceDashboardSchema,
  lovelaceDashboardsSchema,
  helperItemSchema,
  helperItemsSchema,
  pingResponseSchema,
  sceneConfigSchema,
  scriptConfigSchema,
  serviceCallResponseSchema,
  serviceDomainsSchema,
  servicesByDomainSchema,
  statisticIdsSchema,
  statisticsResultSchema,
} from './home-assistant-response-schemas';
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
import { HomeAssistantWebSocket } from './home-assistant-websocket';
import { HomeAssistantWebSocketConnector } from './home-assistant-websocket-connector';

/** At most this much of an error body goes into an error message. */
const MAX_ERROR_DETAIL = 300;

type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** REST endpoints HA serves to administrators only (`@require_admin`, or an explicit `is_admin` check). */
const ADMIN_ONLY_PATHS = [/^\/api\/template$/, /^\/api\/error_log$/, /^\/api\/config\/core\/check_config$/, /^\/api\/config\/(automation|script|scene)\/config\//];

function isAdminOnly({ method, path }: RestRequest): boolean {
  return ADMIN_ONLY_PATHS.some((pattern) => pattern.test(path)) || (method === 'POST' && /^\/api\/(states|events)\//.test(path));
}

interface RestRequest {
  method: HttpMethod;
  path: string;
  /** Names the call in error messages, e.g. `GET /api/states`. */
  call: string;
  body?: unknown;
  timeoutMs?: number;
}

/** The config kinds HA's config panel edits through `/api/config/<kind>/config/<id>`. */
type ConfigKind = 'automation' | 'script' | 'scene';

/**
 * `HomeAssistantClient` for a real HA (or the demo home): REST through `fetch` with the bearer
 * token, WebSocket through home-assistant-js-websocket (one command connection opened on first use
 * and reused; each entity subscription on a connection of its own). Every call is bounded by
 * `timeoutMs`; failures are `HomeAssistantError`s that say what to check.
 *
 * Mutations of the home — `callService`, the automation/script/scene config writes and deletes,
 * and `saveLovelaceConfig` — are reserved for the Developer's approved deploys: no other path may
 * call them (no HA change without an approved proposal).
 */
export class HttpHomeAssistantClient extends HomeAssistantClient implements OnApplicationShutdown {
  readonly baseUrl: string;
  private readonly errors: HomeAssistantErrors;
  private readonly websocket: HomeAssistantWebSocket;
  private readonly subscriptions: HomeAssistantEntitySubscriptions;

  constructor(private readonly options: HomeAssistantConnectionOptions) {
    super();
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.errors = new HomeAssistantErrors(this.baseUrl, options.timeoutMs);
    const connector = new HomeAssistantWebSocketConnector({
      baseUrl: this.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs,
      errors: this.errors,
      diagnoseConnectFailure: (remainingMs) => this.diagnoseWebSocketFailure(remainingMs),
    });
    this.websocket = new HomeAssistantWebSocket(connector, options.onCall);
    this.subscriptions = new HomeAssistantEntitySubscriptions(connector);
  }

  // ── REST: reads ─────────────────────────────────────────────────────────────────────────────

  async ping(): Promise<{ message: string }> {
    return this.getJson<{ message: string }>('/api/', pingResponseSchema);
  }

  async getConfig(): Promise<HaCoreConfig> {
    return this.getJson<HaCoreConfig>('/api/config', coreConfigSchema);
  }

  async getStates(): Promise<HaEntityState[]> {
    return this.getJson<HaEntityState[]>('/api/states', entityStatesSchema);
  }

  async getState(entityId: string): Promise<HaEntityState | null> {
    const path = `/api/states/${encodeURIComponent(entityId)}`;
    return nullWhenNotFound(this.requestJson<HaEntityState>({ method: 'GET', path, call: `GET /api/states/${entityId}` }, entityStateSchema));
  }

  async getHistory(query: HaHistoryQuery): Promise<HaHistoryState[][]> {
    if (query.entityIds.length === 0) return [];
    return this.requestJson<HaHistoryState[][]>({ method: 'GET', path: historyPath(query), call: 'GET /api/history/period' }, historySchema);
  }

  override async getRawHistory(query: HaHistoryQuery): Promise<Uint8Array> {
    if (query.entityIds.length === 0) return new TextEncoder().encode('[]');
    return this.send({ method: 'GET', path: historyPath(query), call: 'GET /api/history/period' }, 'application/json', async (response) =>
      new Uint8Array(await response.arrayBuffer()),
    );
  }

  async getServices(): Promise<HaServiceDomain[]> {
    return this.getJson<HaServiceDomain[]>('/api/services', serviceDomainsSchema);
  }

  async getLogbook(query: HaLogbookQuery): Promise<HaLogbookEntry[]> {
    const params = new URLSearchParams();
    if (query.end) params.set('end_time', query.end.toISOString());
    // HA splits `entity` on commas.
    if (query.entityIds?.length) params.set('entity', query.entityIds.join(','));
    const search = params.size > 0 ? `?${params.toString()}` : '';
    const path = `/api/logbook/${encodeURIComponent(query.start.toISOString())}${search}`;
    return this.requestJson<HaLogbookEntry[]>({ method: 'GET', path, call: 'GET /api/logbook' }, logbookEntriesSchema);
  }

  async getErrorLog(): Promise<string | null> {
    // 404: HA OS / Supervised installs log to the journal and register no error log view.
    return nullWhenNotFound(this.requestText({ method: 'GET', path: '/api/error_log', call: 'GET /api/error_log' }));
  }

  /** Rendering is read-only: HA evaluates the template against current states. */
  async renderTemplate(template: string, variables?: Record<string, unknown>): Promise<string> {
    const body = variables ? { template, variables } : { template };
    return this.requestText({ method: 'POST', path: '/api/template', call: 'POST /api/template', body });
  }

  /** Validates HA's configuration files; changes nothing. */
  async checkConfig(): Promise<HaConfigCheckResult> {
    const result = await this.requestJson<HaConfigCheckResult>(
      { method: 'POST', path: '/api/config/core/check_config', call: 'POST /api/config/core/check_config' },
      configCheckSchema,
    );
    // Releases before `warnings` existed omit it.
    return { ...result, warnings: result.warnings ?? null };
  }

  async getAutomationConfig(id: string): Promise<HaAutomationConfig | null> {
    return this.getStoredConfig<HaAutomationConfig>('automation', id, automationConfigSchema);
  }

  async getScriptConfig(objectId: string): Promise<HaScriptConfig | null> {
    return this.getStoredConfig<HaScriptConfig>('script', objectId, scriptConfigSchema);
  }

  async getSceneConfig(id: string): Promise<HaSceneConfig | null> {
    return this.getStoredConfig<HaSceneConfig>('scene', id, sceneConfigSchema);
  }

  async getConfigEntries(): Promise<HaConfigEntry[]> {
    return this.getJson<HaConfigEntry[]>('/api/config/config_entries/entry', configEntriesSchema);
  }

  // ── REST: mutations (approved deploys only) ─────────────────────────────────────────────────

  /**
   * Runs a service. MUTATION: only for the Developer's approved deploys. HA ≥ 2024.8 answers a
   * list of changed states, or `{changed_states, service_response}` with `?return_response`; both
   * come back as `{changed_states, service_response?}`.
   */
  async callService(
    domain: string,
    service: string,
    data: Record<string, unknown> = {},
    target: HaServiceTarget = {},
    options: HaServiceCallOptions = {},
  ): Promise<HaServiceCallResult> {
    const path = `/api/services/${encodeURIComponent(domain)}/${encodeURIComponent(service)}${options.returnResponse ? '?return_response' : ''}`;
    // The REST API takes the target's keys (entity_id, area_id…) among the service data.
    const body = { ...data, ...target };
    const response = await this.requestJson<HaEntityState[] | HaServiceCallResult>(
      { method: 'POST', path, call: `POST /api/services/${domain}/${service}`, body },
      serviceCallResponseSchema,
    );
    return Array.isArray(response) ? { changed_states: response } : response;
  }

  /** MUTATION (approved deploys only): creates or replaces automation `id`; HA reloads automations. */
  async saveAutomationConfig(id: string, config: HaAutomationConfig): Promise<HaConfigWriteResult> {
    return this.writeStoredConfig('automation', id, config);
  }

  /** MUTATION (approved deploys only). */
  async deleteAutomationConfig(id: string): Promise<HaConfigWriteResult> {
    return this.deleteStoredConfig('automation', id);
  }

  /** MUTATION (approved deploys only): creates or replaces script `objectId`; HA reloads scripts. */
  async saveScriptConfig(objectId: string, config: HaScriptConfig): Promise<HaConfigWriteResult> {
    return this.writeStoredConfig('script', objectId, config);
  }

  /** MUTATION (approved deploys only). */
  async deleteScriptConfig(objectId: string): Promise<HaConfigWriteResult> {
    return this.deleteStoredConfig('script', objectId);
  }

  /** MUTATION (approved deploys only): creates or replaces scene `id`; HA reloads scenes. */
  async saveSceneConfig(id: string, config: HaSceneConfig): Promise<HaConfigWriteResult> {
    return this.writeStoredConfig('scene', id, config);
  }

  /** MUTATION (approved deploys only). */
  async deleteSceneConfig(id: string): Promise<HaConfigWriteResult> {
    return this.deleteStoredConfig('scene', id);
  }

  // ── WebSocket: reads ────────────────────────────────────────────────────────────────────────

  async getEnergyPrefs(): Promise<HaEnergyPrefs | null> {
    // HA answers `not_found` ("No prefs") until the Energy dashboard has been configured.
    return nullWhenNotFound(this.wsCommand<HaEnergyPrefs>({ type: 'energy/get_prefs' }, energyPrefsSchema));
  }

  /** WS `get_states`: the same states as `GET /api/states`, over the WebSocket connection. */
  async getStatesViaWebSocket(): Promise<HaEntityState[]> {
    return this.wsCommand<HaEntityState[]>({ type: 'get_states' }, entityStatesSchema);
  }

  async getServicesViaWebSocket(): Promise<HaServicesByDomain> {
    return this.wsCommand<HaServicesByDomain>({ type: 'get_services' }, servicesByDomainSchema);
  }

  async getEntityRegistry(): Promise<HaEntityRegistryEntry[]> {
    return this.wsCommand<HaEntityRegistryEntry[]>({ type: 'config/entity_registry/list' }, entityRegistrySchema);
  }

  async getDeviceRegistry(): Promise<HaDeviceRegistryEntry[]> {
    return this.wsCommand<HaDeviceRegistryEntry[]>({ type: 'config/device_registry/list' }, deviceRegistrySchema);
  }

  async getAreaRegistry(): Promise<HaAreaRegistryEntry[]> {
    return this.wsCommand<HaAreaRegistryEntry[]>({ type: 'config/area_registry/list' }, areaRegistrySchema);
  }

  async getFloorRegistry(): Promise<HaFloorRegistryEntry[]> {
    return this.wsCommand<HaFloorRegistryEntry[]>({ type: 'config/floor_registry/list' }, floorRegistrySchema);
  }

  async getStatisticsDuringPeriod(query: HaStatisticsQuery): Promise<HaStatisticsResult> {
    if (query.statisticIds.length === 0) return {};
    return this.wsCommand<HaStatisticsResult>(
      {
        type: 'recorder/statistics_during_period',
        start_time: query.start.toISOString(),
        ...(query.end ? { end_time: query.end.toISOString() } : {}),
        statistic_ids: query.statisticIds,
        period: query.period,
        ...(query.types ? { types: query.types } : {}),
        ...(query.units ? { units: query.units } : {}),
      },
      statisticsResultSchema,
    );
  }

  async listStatisticIds(statisticType?: 'sum' | 'mean'): Promise<HaStatisticMetadata[]> {
    return this.wsCommand<HaStatisticMetadata[]>(
      { type: 'recorder/list_statistic_ids', ...(statisticType ? { statistic_type: statisticType } : {}) },
      statisticIdsSchema,
    );
  }

  async getLogbookEvents(query: HaLogbookEventsQuery): Promise<HaLogbookEntry[]> {
    return this.wsCommand<HaLogbookEntry[]>(
      {
        type: 'logbook/get_events',
        start_time: query.start.toISOString(),
        ...(query.end ? { end_time: query.end.toISOString() } : {}),
        ...(query.entityIds ? { entity_ids: query.entityIds } : {}),
        ...(query.deviceIds ? { device_ids: query.deviceIds } : {}),
      },
      logbookEntriesSchema,
    );
  }

  async getCurrentUser(): Promise<HaCurrentUser> {
    return this.wsCommand<HaCurrentUser>({ type: 'auth/current_user' }, currentUserSchema);
  }

  /** `urlPath` null/undefined is the default dashboard. */
  async getLovelaceConfig(urlPath: string | null = null): Promise<HaLovelaceConfig | null> {
    // `config_not_found` (mapped to not_found): the dashboard is unknown or has no stored config yet.
    return nullWhenNotFound(
      this.wsCommand<HaLovelaceConfig>({ type: 'lovelace/config', url_path: urlPath, force: false }, lovelaceConfigSchema),
    );
  }

  /** MUTATION (approved deploys only): replaces the dashboard's stored config. */
  async saveLovelaceConfig(config: HaLovelaceConfig, urlPath: string | null = null): Promise<void> {
    await this.websocket.command<unknown>({ type: 'lovelace/config/save', config, url_path: urlPath }, 'lovelace/config/save');
  }

  /** MUTATION (approved deploys only): removes the dashboard's stored config. */
  async deleteLovelaceConfig(urlPath: string | null = null): Promise<void> {
    await this.websocket.command<unknown>({ type: 'lovelace/config/delete', url_path: urlPath }, 'lovelace/config/delete');
  }

  async listLovelaceDashboards(): Promise<HaLovelaceDashboard[]> {
    return this.wsCommand<HaLovelaceDashboard[]>({ type: 'lovelace/dashboards/list' }, lovelaceDashboardsSchema);
  }

  /** MUTATION (approved deploys only): a new storage-mode dashboard, without a config until one is saved. */
  async createLovelaceDashboard(dashboard: HaLovelaceDashboardCreate): Promise<HaLovelaceDashboard> {
    return this.wsCommand<HaLovelaceDashboard>({ type: 'lovelace/dashboards/create', ...dashboard }, lovelaceDashboardSchema);
  }

  /** MUTATION (approved deploys only): removes a dashboard made by `createLovelaceDashboard`. */
  async deleteLovelaceDashboard(dashboardId: string): Promise<void> {
    await this.websocket.command<unknown>({ type: 'lovelace/dashboards/delete', dashboard_id: dashboardId }, 'lovelace/dashboards/delete');
  }

  async listHelpers(domain: HaHelperDomain): Promise<HaHelperItem[]> {
    return this.wsCommand<HaHelperItem[]>({ type: `${domain}/list` }, helperItemsSchema);
  }

  /** MUTATION (approved deploys only). */
  async createHelper(domain: HaHelperDomain, config: HaHelperConfig): Promise<HaHelperItem> {
    return this.wsCommand<HaHelperItem>({ ...config, type: `${domain}/create` }, helperItemSchema);
  }

  /** MUTATION (approved deploys only). */
  async updateHelper(domain: HaHelperDomain, id: string, config: HaHelperConfig): Promise<HaHelperItem> {
    return this.wsCommand<HaHelperItem>({ ...config, type: `${domain}/update`, [`${domain}_id`]: id }, helperItemSchema);
  }

  /** MUTATION (approved deploys only). */
  async deleteHelper(domain: HaHelperDomain, id: string): Promise<void> {
    await this.websocket.command<unknown>({ type: `${domain}/delete`, [`${domain}_id`]: id }, `${domain}/delete`);
  }

  /**
   * `subscribe_entities` on a connection of its own that reconnects and resubscribes after a drop
   * (closed by `close()`). Resolves once the first full set of states has reached `onChange`.
   */
  async subscribeEntities(onChange: (states: HaEntitiesSnapshot) => void): Promise<HaEntitiesSubscription> {
    return this.subscriptions.subscribe(onChange);
  }

  /** Any other WebSocket command (`{type, ...params}`), resolving with HA's `result`. */
  async sendWebSocketCommand<T>(message: { type: string; [key: string]: unknown }): Promise<T> {
    return this.websocket.command<T>(message, message.type);
  }

  /** Closes the WebSockets for good (later WebSocket calls fail); REST calls hold no connection and keep working. */
  async close(): Promise<void> {
    this.subscriptions.close();
    await this.websocket.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────

  private async wsCommand<T>(message: { type: string; [key: string]: unknown }, schema: z.ZodType): Promise<T> {
    const result = await this.websocket.command<unknown>(message, message.type);
    return this.validate<T>(schema, result, message.type);
  }

  private configPath(kind: ConfigKind, id: string): string {
    if (id.trim() === '') throw new RangeError(`An empty ${kind} id was given; HA's ${kind} config API needs one`);
    return `/api/config/${kind}/config/${encodeURIComponent(id)}`;
  }

  private async getStoredConfig<T>(kind: ConfigKind, id: string, schema: z.ZodType): Promise<T | null> {
    const path = this.configPath(kind, id);
    return nullWhenNotFound(this.requestJson<T>({ method: 'GET', path, call: `GET /api/config/${kind}/config/${id}` }, schema));
  }

  private async writeStoredConfig(kind: ConfigKind, id: string, config: object): Promise<HaConfigWriteResult> {
    const path = this.configPath(kind, id);
    return this.requestJson<HaConfigWriteResult>(
      { method: 'POST', path, call: `POST /api/config/${kind}/config/${id}`, body: config },
      configWriteResultSchema,
    );
  }

  private async deleteStoredConfig(kind: ConfigKind, id: string): Promise<HaConfigWriteResult> {
    const path = this.configPath(kind, id);
    return this.requestJson<HaConfigWriteResult>({ method: 'DELETE', path, call: `DELETE /api/config/${kind}/config/${id}` }, configWriteResultSchema);
  }

  private getJson<T>(path: string, schema: z.ZodType, timeoutMs?: number): Promise<T> {
    return this.requestJson<T>({ method: 'GET', path, call: `GET ${path}`, timeoutMs }, schema);
  }

  private async requestJson<T>(request: RestRequest, schema: z.ZodType): Promise<T> {
    const body = await this.request(request, 'application/json');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw this.errors.protocol(request.call, `not JSON: ${body.slice(0, MAX_ERROR_DETAIL)}`);
    }
    return this.validate<T>(schema, json, request.call);
  }

  private async requestText(request: RestRequest): Promise<string> {
    return this.request(request, 'text/plain');
  }

  /** Sends one REST request and returns the body of a 2xx answer; anything else is a classified error. */
  private async request(request: RestRequest, accept: string): Promise<string> {
    return this.send(request, accept, (response) => response.text());
  }

  /** `request`, reading the body with `read` (as text, or as bytes that stay undecoded). */
  private send<Body extends string | Uint8Array>(request: RestRequest, accept: string, read: (response: Response) => Promise<Body>): Promise<Body> {
    const call = restCallName(request);
    return inHomeAssistantSpan(call, async () => {
      if (!this.options.onCall) return this.sendOnce(request, accept, read);
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await this.sendOnce(request, accept, read);
      } catch (error) {
        outcome = error instanceof HomeAssistantError ? error.kind : 'error';
        throw error;
      } finally {
        this.options.onCall(call, (performance.now() - started) / 1000, outcome);
      }
    });
  }

  private async sendOnce<Body extends string | Uint8Array>(request: RestRequest, accept: string, read: (response: Response) => Promise<Body>): Promise<Body> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: accept };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let body: Body;
    try {
      // One signal bounds both the answer and the reading of its body.
      const signal = AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs);
      response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      body = await read(response);
    } catch (error) {
      throw this.errors.fromFetchFailure(request.call, error);
    }

    if (response.status === 401 || response.status === 403) {
      throw this.errors.auth(request.call, `HTTP ${response.status}`, response.status, isAdminOnly(request));
    }
    if (!response.ok) throw this.errors.http(request.call, response.status, errorDetail(typeof body === 'string' ? body : new TextDecoder().decode(body)));
    return body;
  }

  private validate<T>(schema: z.ZodType, value: unknown, call: string): T {
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw this.errors.protocol(call, `${issue.path.join('.') || 'response'}: ${issue.message}`);
    }
    // The schema checked the shape; the original value keeps every field HA sent.
    return value as T;
  }

  private async diagnoseWebSocketFailure(remainingMs: number): Promise<HomeAssistantError> {
    try {
      await this.getJson('/api/', pingResponseSchema, remainingMs);
    } catch (error) {
      if (error instanceof HomeAssistantError) return error;
      if (isTimeout(error)) return this.errors.timeout('WebSocket connect');
      return this.errors.unreachable(String(error));
    }
    return this.errors.protocol('WebSocket connect', `the REST API answers but ${this.baseUrl}/api/websocket refused the connection`);
  }
}

/** Resolves with null instead of failing when HA says the thing does not exist. */
async function nullWhenNotFound<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof HomeAssistantError && error.kind === 'not_found') return null;
    throw error;
  }
}

/** HA's JSON errors carry `message`; aiohttp's plain-text ones are the body itself. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: use the text.
  }
  return body.trim().slice(0, MAX_ERROR_DETAIL) || '(empty body)';
}

function historyPath(query: HaHistoryQuery): string {
  const params = new URLSearchParams({ filter_entity_id: query.entityIds.join(',') });
  if (query.end) params.set('end_time', query.end.toISOString());
  if (query.significantChangesOnly === false) params.set('significant_changes_only', '0');
  // HA checks these flags for presence, so they go on bare.
  const flags = [
    query.minimalResponse ? 'minimal_response' : '',
    query.noAttributes ? 'no_attributes' : '',
    query.significantChangesOnly === true ? 'significant_changes_only' : '',
  ].filter(Boolean);
  const search = [params.toString(), ...flags].join('&');
  return `/api/history/period/${encodeURIComponent(query.start.toISOString())}?${search}`;
}

/** A REST call's name without the ids in its path (a metric label must not grow with the home). */
export function restCallName(request: Pick<RestRequest, 'method' | 'path'>): string {
  const path = request.path
    .split('?')[0]
    .replace(/^\/api\/states\/.+$/, '/api/states/{entity_id}')
    .replace(/^\/api\/history\/period\/.+$/, '/api/history/period/{start}')
    .replace(/^\/api\/logbook\/.+$/, '/api/logbook/{start}')
    .replace(/^\/api\/config\/(\w+)\/config\/.+$/, '/api/config/$1/config/{id}')
    .replace(/^\/api\/events\/.+$/, '/api/events/{event_type}');
  return `${request.method} ${path}`;
}
