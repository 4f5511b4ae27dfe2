import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantError } from './home-assistant.client';

// Failure modes against raw loopback servers. The happy paths run against the real demo home in
// libs/ha-demo (demo-home.client-compat.spec.ts): a shared lib may not depend on it.

const TIMEOUT_MS = 2_000;

async function failure(promise: Promise<unknown>): Promise<HomeAssistantError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomeAssistantError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function urlOf(server: HttpServer | TcpServer): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function listen<S extends HttpServer | TcpServer>(server: S): Promise<S> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('HttpHomeAssistantClient failures', () => {
  it('reports a port nobody listens on as unreachable, with the cause, over REST and WebSocket', async () => {
    const server = await listen(createHttpServer());
    const url = urlOf(server);
    server.close();
    await once(server, 'close');

    const client = createHomeAssistantClient({ url, token: 't', timeoutMs: TIMEOUT_MS });
    try {
      for (const call of [() => client.getStates(), () => client.getEnergyPrefs()]) {
        const started = Date.now();
        const error = await failure(call());
        expect(error.kind).toBe('unreachable');
        expect(error.message).toBe(`Home Assistant at ${url} is unreachable (connect ECONNREFUSED ${url.slice('http://'.length)}); check HA_URL and that HA is running`);
        expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
      }
    } finally {
      await client.close();
    }
  });

  describe('against a server that accepts connections but never answers', () => {
    let silent: TcpServer;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      silent = await listen(
        createTcpServer((socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        }),
      );
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });

    it('times out REST and WebSocket calls, naming the call and the timeout', async () => {
      const client = createHomeAssistantClient({ url: urlOf(silent), token: 't', timeoutMs: 300 });
      try {
        let started = Date.now();
        const rest = await failure(client.getStates());
        expect(rest.kind).toBe('timeout');
        expect(rest.message).toContain('GET /api/states');
        expect(rest.message).toContain('300 ms');
        expect(Date.now() - started).toBeLessThan(1_500);
        started = Date.now();
        const ws = await failure(client.getEnergyPrefs());
        expect(ws.kind).toBe('timeout');
        expect(ws.message).toContain('energy/get_prefs');
        expect(Date.now() - started).toBeLessThan(1_500);
      } finally {
        await client.close();
      }
    });
  });

  it('times out a WebSocket command HA never answers, then reconnects for the next call', async () => {
    // Completes HA's handshake, then ignores every command.
    const server = await listen(createHttpServer());
    const wss = new WebSocketServer({ server, path: '/api/websocket' });
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'auth_required', ha_version: '2026.11.0' }));
      ws.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'auth') ws.send(JSON.stringify({ type: 'auth_ok', ha_version: '2026.11.0' }));
      });
    });
    const client = createHomeAssistantClient({ url: urlOf(server), token: 't', timeoutMs: 300 });
    try {
      const first = await failure(client.getStatesViaWebSocket());
      expect(first.kind).toBe('timeout');
      expect(first.message).toBe(`Home Assistant at ${urlOf(server)} did not answer get_states within 300 ms (HA_TIMEOUT_MS)`);
      expect((await failure(client.getEnergyPrefs())).kind).toBe('timeout');
      expect(connections).toBe(2);
    } finally {
      await client.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.close();
      await once(server, 'close');
    }
  });

  describe('against a server answering errors', () => {
    let server: HttpServer;

    beforeAll(async () => {
      server = await listen(
        createHttpServer((req, res) => {
          if (req.url === '/api/states') {
            res.writeHead(500, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ message: 'Recorder is not ready' }));
          } else if (req.url === '/api/config') {
            res.writeHead(200, { 'Content-Type': 'text/html' });
            res.end('<html>a proxy login page</html>');
          } else if (req.url === '/api/') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ msg: 'not HA' }));
          } else if (req.url === '/api/services/light/turn_on') {
            // Newer HA: a plain-text 400 with the validation error.
            res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end("Invalid data for call_service at pos 1: extra keys not allowed @ data['colour']");
          } else if (req.url === '/api/services/light/turn_off') {
            // Older HA: a bare 500 from aiohttp for the same kind of error.
            res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('500 Internal Server Error\n\nServer got itself in trouble');
          } else if (req.url?.startsWith('/api/history/period/')) {
            res.writeHead(404, { 'Content-Type': 'text/plain' });
            res.end('404: Not Found');
          } else {
            res.writeHead(403, { 'Content-Type': 'text/plain' });
            res.end('403: Forbidden');
          }
        }),
      );
    });
    afterAll(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    it('maps HTTP errors, non-JSON and unexpected shapes to classified errors', async () => {
      const client = createHomeAssistantClient({ url: urlOf(server), token: 't', timeoutMs: TIMEOUT_MS });
      try {
        const http = await failure(client.getStates());
        expect(http).toMatchObject({ kind: 'http', status: 500 });
        expect(http.message).toContain('GET /api/states with HTTP 500: Recorder is not ready');
        expect((await failure(client.getConfig())).kind).toBe('protocol');
        const shape = await failure(client.ping());
        expect(shape.kind).toBe('protocol');
        expect(shape.message).toContain('message');
        expect(await failure(client.getState('sensor.x'))).toMatchObject({ kind: 'auth', status: 403 });
        const missing = await failure(client.getHistory({ start: new Date(), entityIds: ['sensor.x'] }));
        expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
        expect(missing.message).toContain('404: Not Found');
        // The undecoded history (for worker threads) fails the same way, with the body as detail.
        const rawMissing = await failure(client.getRawHistory({ start: new Date(), entityIds: ['sensor.x'] }));
        expect(rawMissing).toMatchObject({ kind: 'not_found', status: 404 });
        expect(rawMissing.message).toContain('404: Not Found');
        // Both service-error formats say which call failed and HA's own words.
        const invalid = await failure(client.callService('light', 'turn_on', { colour: 'red' }, { entity_id: 'light.x' }));
        expect(invalid).toMatchObject({ kind: 'http', status: 400 });
        expect(invalid.message).toContain("POST /api/services/light/turn_on with HTTP 400: Invalid data for call_service at pos 1: extra keys not allowed @ data['colour']");
        const older = await failure(client.callService('light', 'turn_off', {}, { entity_id: 'light.x' }));
        expect(older).toMatchObject({ kind: 'http', status: 500 });
        expect(older.message).toContain('POST /api/services/light/turn_off with HTTP 500: 500 Internal Server Error');
      } finally {
        await client.close();
      }
    });
  });
});
