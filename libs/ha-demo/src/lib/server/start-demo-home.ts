import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { FixtureHome } from '../fixture/fixture-home';
import { loadFixture } from '../fixture/load-fixture';
import { LiveHome } from '../live/live-home';
import { MutationLog, type MutationRecord } from '../live/mutation-log';
import { DemoHouse, sharedDemoHouse, stuckSensorSinceFor } from '../model/demo-house';
import type { EnergyPrefsShape } from '../model/energy-prefs-shape';
import type { HomeModel } from '../model/home-model';
import { ConfigReloads, DEFAULT_CONFIG_RELOAD_DELAY_MS } from './config-reloads';
import { DEFAULT_DEMO_TOKEN, type DemoApiContext, type InstallationType } from './demo-home-options';
import { HomeEventBus } from './home-event-bus';
import { createRestApiRouter } from './rest-api.router';
import { attachWebSocketApi } from './websocket-api';

export interface DemoHomeOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Long-lived access token to accept (default `aether-demo-token`). */
  token?: string;
  /** Whether the token's user is an administrator (default true); a non-admin is refused HA's admin-only endpoints. */
  admin?: boolean;
  /** `core` (default) or `supervised` (HA OS / Supervised: no `/api/error_log`). */
  installationType?: InstallationType;
  /** The `energy/get_prefs` grid shape: `unified` (default, the newest HA) or `legacy` (`flow_from`/`flow_to`). */
  energyPrefsShape?: EnergyPrefsShape;
  /** Current time in epoch ms (default `Date.now`); pin it to freeze the house. */
  now?: () => number;
  /** The house to serve (default: the shared demo house). */
  house?: HomeModel;
  /**
   * Serve another house instead (`HA_DEMO_FIXTURE`): a parsed fixture object or the path of a JSON
   * file. A malformed fixture rejects with a `FixtureError` naming the problem.
   */
  fixture?: unknown;
  /** Days of history and logbook the recorder keeps (HA's `purge_keep_days`, default 10); long-term statistics are kept regardless. */
  purgeKeepDays?: number;
  /** How long after a config write's answer its entity appears or changes (default 200 ms), as HA's reload runs after the answer. */
  configReloadDelayMs?: number;
}

export interface RunningDemoHome {
  /** Base URL, e.g. `http://127.0.0.1:8123` (what HA_URL would be). */
  url: string;
  token: string;
  /** The home as served, with what was changed through its API. */
  house: LiveHome;
  /** Every mutation made through the API so far (what `GET /api/__demo/mutations` returns). */
  mutations(): MutationRecord[];
  stop(): Promise<void>;
}

/**
 * Starts the demo home: an HA-compatible REST + WebSocket server (same port, WebSocket on
 * `/api/websocket`) over a house — the deterministic demo house, or a fixture — with service
 * calls, config writes and dashboard saves changing it for real. Used in-process by the gateway
 * when no HA_URL is configured, by the standalone `ha-demo` app, and by tests.
 */
export async function startDemoHome(options: DemoHomeOptions = {}): Promise<RunningDemoHome> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const model: HomeModel = options.fixture !== undefined ? new FixtureHome(loadFixture(options.fixture), now()) : (options.house ?? (options.purgeKeepDays !== undefined ? new DemoHouse({ historyDays: options.purgeKeepDays, stuckSensorSince: stuckSensorSinceFor(now()) }) : sharedDemoHouse(now())));
  const house = new LiveHome(model);
  // The first reading of the demo house's meters sums every slot since their reference epoch; the
  // event bus takes its first snapshot here, so that cost is paid at startup, not in a request.
  const events = new HomeEventBus(house, now);
  const mutations = new MutationLog();
  const reloads = new ConfigReloads(house, events, now, options.configReloadDelayMs ?? DEFAULT_CONFIG_RELOAD_DELAY_MS, mutations);
  const context: DemoApiContext = {
    house,
    token: options.token ?? DEFAULT_DEMO_TOKEN,
    admin: options.admin ?? true,
    installationType: options.installationType ?? 'core',
    energyPrefsShape: options.energyPrefsShape ?? 'unified',
    now,
    mutations,
    events,
    reloads,
  };

  const app = express();
  app.disable('x-powered-by');
  // HA's REST API sends no ETag (and hashing a month of history for one cost a millisecond a request).
  app.set('etag', false);
  app.use('/api', createRestApiRouter(context));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('404: Not Found');
  });

  const server = createServer(app);
  const websocket = attachWebSocketApi(server, context);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A pinned clock never moves: only a real one has time-driven changes to publish.
  if (!options.now) events.startClock();

  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token: context.token,
    house,
    mutations: () => context.mutations.list(),
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        events.stop();
        reloads.stop();
        websocket.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
