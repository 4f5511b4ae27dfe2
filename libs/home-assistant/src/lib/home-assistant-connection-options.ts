import { inSpan, SpanKind } from '@aether/core';

/** How to reach one Home Assistant instance. */
export interface HomeAssistantConnectionOptions {
  /** Base URL, e.g. `http://homeassistant.local:8123` (HA_URL). */
  url: string;
  /** Long-lived access token (HA_TOKEN). */
  token: string;
  /** Timeout of every call in ms (HA_TIMEOUT_MS). */
  timeoutMs: number;
  /** Told of every finished REST or WebSocket call: its name without ids (`GET /api/states/{entity_id}`, `get_states`), seconds, and `ok` or the error kind. */
  onCall?: HomeAssistantCallObserver;
}

export type HomeAssistantCallObserver = (call: string, seconds: number, outcome: string) => void;

/** One call to Home Assistant as a client span, `HA <call>` (REST calls also get the `fetch` span below it). */
export function inHomeAssistantSpan<T>(call: string, work: () => Promise<T>): Promise<T> {
  return inSpan(`HA ${call}`, { kind: SpanKind.CLIENT, attributes: { 'aether.ha.call': call } }, work);
}
