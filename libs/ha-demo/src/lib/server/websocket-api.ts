import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DEMO_HA_VERSION } from '../model/demo-site';
import type { DemoApiContext } from './demo-home-options';
import { tokenMatches } from './token-match';

export const WEBSOCKET_PATH = '/api/websocket';
/** HA drops a connection that has not authenticated within 10 s. */
const AUTH_TIMEOUT_MS = 10_000;

type CommandHandler = (context: DemoApiContext) => unknown;

/** The commands the demo answers, with HA's result payloads. */
const COMMANDS: Record<string, CommandHandler> = {
  get_states: (context) => context.house.states(context.now()),
  get_config: (context) => context.house.coreConfig(),
  'energy/get_prefs': (context) => context.house.energyPrefs(),
  // Sent by HA clients right after auth (id 1) to opt in to message coalescing; the demo never coalesces.
  supported_features: () => null,
};

export interface WebSocketApi {
  close(): void;
}

/**
 * HA's WebSocket API on `/api/websocket` of the given HTTP server: `auth_required` → `auth` →
 * `auth_ok`/`auth_invalid`, then `{id, type}` commands answered with `{id, type: "result", success,
 * result|error}` (and `ping` → `pong`), with HA's error codes for malformed, reused and unknown ids.
 */
export function attachWebSocketApi(server: Server, context: DemoApiContext): WebSocketApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path !== WEBSOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveConnection(ws, context));
  };
  server.on('upgrade', onUpgrade);

  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function serveConnection(ws: WebSocket, context: DemoApiContext): void {
  let authenticated = false;
  let lastId = 0;
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  const authTimer = setTimeout(() => ws.close(), AUTH_TIMEOUT_MS);
  authTimer.unref();
  ws.on('close', () => clearTimeout(authTimer));

  send({ type: 'auth_required', ha_version: DEMO_HA_VERSION });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message = isBinary ? undefined : parseJson(data.toString());
    if (!isRecord(message)) {
      // HA drops connections that send something other than a JSON object.
      ws.close();
      return;
    }
    if (!authenticated) {
      clearTimeout(authTimer);
      if (message['type'] !== 'auth' || typeof message['access_token'] !== 'string') {
        send({ type: 'auth_invalid', message: 'Auth message incorrectly formatted: expected {"type": "auth", "access_token": ...}' });
        ws.close();
        return;
      }
      if (!tokenMatches(message['access_token'], context.token)) {
        send({ type: 'auth_invalid', message: 'Invalid access token or password' });
        ws.close();
        return;
      }
      authenticated = true;
      send({ type: 'auth_ok', ha_version: DEMO_HA_VERSION });
      return;
    }

    const id = message['id'];
    const type = message['type'];
    if (!Number.isInteger(id) || typeof type !== 'string' || type === '') {
      send(errorMessage(Number.isInteger(id) ? id : 0, 'invalid_format', 'Message incorrectly formatted.'));
      return;
    }
    if ((id as number) <= lastId) {
      send(errorMessage(id, 'id_reuse', 'Identifier values have to increase.'));
      return;
    }
    lastId = id as number;

    if (type === 'ping') {
      send({ id, type: 'pong' });
      return;
    }
    const handler = COMMANDS[type];
    if (!handler) {
      send(errorMessage(id, 'unknown_command', 'Unknown command.'));
      return;
    }
    try {
      send({ id, type: 'result', success: true, result: handler(context) });
    } catch (error) {
      send(errorMessage(id, 'unknown_error', error instanceof Error ? error.message : String(error)));
    }
  });
}

function errorMessage(id: unknown, code: string, message: string) {
  return { id, type: 'result', success: false, error: { code, message } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
