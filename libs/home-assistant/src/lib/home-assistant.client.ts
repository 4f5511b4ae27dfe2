import type { HaCoreConfig, HaEnergyPrefs, HaEntityState, HaHistoryQuery, HaHistoryState } from './home-assistant.types';

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
  /** WS `energy/get_prefs`; null when HA has no energy configuration. */
  abstract getEnergyPrefs(): Promise<HaEnergyPrefs | null>;
  /** Closes the WebSocket connection, if any. */
  abstract close(): Promise<void>;
}
