import type { OnApplicationShutdown } from '@nestjs/common';
import type { z } from 'zod';
import { HomeAssistantClient, HomeAssistantError } from './home-assistant.client';
import type { HomeAssistantConnectionOptions } from './home-assistant-connection-options';
import { HomeAssistantErrors, isTimeout } from './home-assistant-errors';
import {
  coreConfigSchema,
  energyPrefsSchema,
  entityStateSchema,
  entityStatesSchema,
  historySchema,
  pingResponseSchema,
} from './home-assistant-response-schemas';
import type { HaCoreConfig, HaEnergyPrefs, HaEntityState, HaHistoryQuery, HaHistoryState } from './home-assistant.types';
import { HomeAssistantWebSocket } from './home-assistant-websocket';

/** At most this much of an error body goes into an error message. */
const MAX_ERROR_DETAIL = 300;

/**
 * `HomeAssistantClient` for a real HA (or the demo home): REST through `fetch` with the bearer
 * token, WebSocket through home-assistant-js-websocket (opened on first use, then reused). Every
 * call is bounded by `timeoutMs`; failures are `HomeAssistantError`s that say what to check.
 */
export class HttpHomeAssistantClient extends HomeAssistantClient implements OnApplicationShutdown {
  readonly baseUrl: string;
  private readonly errors: HomeAssistantErrors;
  private readonly websocket: HomeAssistantWebSocket;

  constructor(private readonly options: HomeAssistantConnectionOptions) {
    super();
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.errors = new HomeAssistantErrors(this.baseUrl, options.timeoutMs);
    this.websocket = new HomeAssistantWebSocket({
      baseUrl: this.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs,
      errors: this.errors,
      diagnoseConnectFailure: (remainingMs) => this.diagnoseWebSocketFailure(remainingMs),
    });
  }

  async ping(): Promise<{ message: string }> {
    return this.getJson<{ message: string }>('/api/', 'GET /api/', pingResponseSchema);
  }

  async getConfig(): Promise<HaCoreConfig> {
    return this.getJson<HaCoreConfig>('/api/config', 'GET /api/config', coreConfigSchema);
  }

  async getStates(): Promise<HaEntityState[]> {
    return this.getJson<HaEntityState[]>('/api/states', 'GET /api/states', entityStatesSchema);
  }

  async getState(entityId: string): Promise<HaEntityState | null> {
    try {
      return await this.getJson<HaEntityState>(`/api/states/${encodeURIComponent(entityId)}`, `GET /api/states/${entityId}`, entityStateSchema);
    } catch (error) {
      if (error instanceof HomeAssistantError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async getHistory(query: HaHistoryQuery): Promise<HaHistoryState[][]> {
    if (query.entityIds.length === 0) return [];
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
    const path = `/api/history/period/${encodeURIComponent(query.start.toISOString())}?${search}`;
    return this.getJson<HaHistoryState[][]>(path, 'GET /api/history/period', historySchema);
  }

  async getEnergyPrefs(): Promise<HaEnergyPrefs | null> {
    try {
      const prefs = await this.websocket.command<unknown>({ type: 'energy/get_prefs' }, 'energy/get_prefs');
      return this.validate<HaEnergyPrefs>(energyPrefsSchema, prefs, 'energy/get_prefs');
    } catch (error) {
      // HA answers `not_found` ("No prefs") until the Energy dashboard has been configured.
      if (error instanceof HomeAssistantError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /** WS `get_states`: the same states as `GET /api/states`, over the WebSocket connection. */
  async getStatesViaWebSocket(): Promise<HaEntityState[]> {
    const states = await this.websocket.command<unknown>({ type: 'get_states' }, 'get_states');
    return this.validate<HaEntityState[]>(entityStatesSchema, states, 'get_states');
  }

  /** Any other WebSocket command (`{type, ...params}`), resolving with HA's `result`. */
  async sendWebSocketCommand<T>(message: { type: string; [key: string]: unknown }): Promise<T> {
    return this.websocket.command<T>(message, message.type);
  }

  /** Closes the WebSocket for good (later WebSocket calls fail); REST calls hold no connection and keep working. */
  async close(): Promise<void> {
    await this.websocket.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async getJson<T>(path: string, call: string, schema: z.ZodType, timeoutMs = this.options.timeoutMs): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.errors.fromFetchFailure(call, error);
    }

    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw this.errors.fromFetchFailure(call, error);
    }

    if (response.status === 401 || response.status === 403) {
      throw this.errors.auth(call, `HTTP ${response.status}`, response.status);
    }
    if (!response.ok) throw this.errors.http(call, response.status, errorDetail(body));

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw this.errors.protocol(call, `not JSON: ${body.slice(0, MAX_ERROR_DETAIL)}`);
    }
    return this.validate<T>(schema, json, call);
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
      await this.getJson('/api/', 'GET /api/', pingResponseSchema, remainingMs);
    } catch (error) {
      if (error instanceof HomeAssistantError) return error;
      if (isTimeout(error)) return this.errors.timeout('WebSocket connect');
      return this.errors.unreachable(String(error));
    }
    return this.errors.protocol('WebSocket connect', `the REST API answers but ${this.baseUrl}/api/websocket refused the connection`);
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
