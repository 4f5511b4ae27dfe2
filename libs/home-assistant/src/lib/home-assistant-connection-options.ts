/** How to reach one Home Assistant instance. */
export interface HomeAssistantConnectionOptions {
  /** Base URL, e.g. `http://homeassistant.local:8123` (HA_URL). */
  url: string;
  /** Long-lived access token (HA_TOKEN). */
  token: string;
  /** Timeout of every call in ms (HA_TIMEOUT_MS). */
  timeoutMs: number;
}
