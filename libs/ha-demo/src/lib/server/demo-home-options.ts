import type { LiveHome } from '../live/live-home';
import type { EnergyPrefsShape } from '../model/energy-prefs-shape';
import type { MutationLog } from '../live/mutation-log';
import type { ConfigReloads } from './config-reloads';
import type { HomeEventBus } from './home-event-bus';

/** The token the demo home accepts unless told otherwise (HA_DEMO_TOKEN in the standalone app). */
export const DEFAULT_DEMO_TOKEN = 'aether-demo-token';

/** How HA was installed: HA OS / Supervised installs log to the journal, so they have no `/api/error_log`. */
export type InstallationType = 'core' | 'supervised';

/** The demo user behind the token, as WS `auth/current_user` describes it. */
export const DEMO_USER = { id: 'a9e1f2c3d4b5a6978877665544332211', name: 'Aether demo' } as const;

/** What the HTTP and WebSocket APIs share. */
export interface DemoApiContext {
  /** The home as the API shows it: the model with what was changed through the API laid over it. */
  house: LiveHome;
  /** Long-lived access token clients must present. */
  token: string;
  /** Whether the token's user is an administrator: HA refuses admin-only endpoints to other users. */
  admin: boolean;
  installationType: InstallationType;
  /** The `energy/get_prefs` grid shape served: the newest HA's unified one or the legacy one. */
  energyPrefsShape: EnergyPrefsShape;
  /** Current time (epoch ms); injectable so tests can pin "now". */
  now: () => number;
  mutations: MutationLog;
  events: HomeEventBus;
  /** Config writes take effect (their entity appears or changes) only when these run. */
  reloads: ConfigReloads;
}
