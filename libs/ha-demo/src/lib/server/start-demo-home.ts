import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { sharedDemoHouse, type DemoHouse } from '../model/demo-house';
import { DEFAULT_DEMO_TOKEN, type DemoApiContext } from './demo-home-options';
import { createRestApiRouter } from './rest-api.router';
import { attachWebSocketApi } from './websocket-api';

export interface DemoHomeOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Long-lived access token to accept (default `aether-demo-token`). */
  token?: string;
  /** Current time in epoch ms (default `Date.now`); pin it to freeze the house. */
  now?: () => number;
  /** The house to serve (default: the shared demo house). */
  house?: DemoHouse;
}

export interface RunningDemoHome {
  /** Base URL, e.g. `http://127.0.0.1:8123` (what HA_URL would be). */
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts the demo home: an HA-compatible REST + WebSocket server (same port, WebSocket on
 * `/api/websocket`) over the deterministic demo house. Used in-process by the gateway when no
 * HA_URL is configured, by the standalone `ha-demo` app, and by tests.
 */
export async function startDemoHome(options: DemoHomeOptions = {}): Promise<RunningDemoHome> {
  const host = options.host ?? '127.0.0.1';
  const context: DemoApiContext = {
    house: options.house ?? sharedDemoHouse(),
    token: options.token ?? DEFAULT_DEMO_TOKEN,
    now: options.now ?? Date.now,
  };

  // The first meter reading sums every slot since the meters' reference epoch (~1 s per year of
  // it); pay that at startup rather than in the first request.
  context.house.states(context.now());

  const app = express();
  app.disable('x-powered-by');
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

  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token: context.token,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        websocket.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
