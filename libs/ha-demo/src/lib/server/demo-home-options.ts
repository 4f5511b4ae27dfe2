import type { DemoHouse } from '../model/demo-house';

/** The token the demo home accepts unless told otherwise (HA_DEMO_TOKEN in the standalone app). */
export const DEFAULT_DEMO_TOKEN = 'aether-demo-token';

/** What the HTTP and WebSocket APIs share. */
export interface DemoApiContext {
  house: DemoHouse;
  /** Long-lived access token clients must present. */
  token: string;
  /** Current time (epoch ms); injectable so tests can pin "now". */
  now: () => number;
}
