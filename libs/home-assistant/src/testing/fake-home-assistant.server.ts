import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// A loopback stand-in for Home Assistant's REST and WebSocket APIs, for the client's tests: each
// test scripts exactly what HA answers (status codes, `success: false`, silence, drops).

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

export interface RestReply {
  status?: number;
  json?: unknown;
  text?: string;
  /** Answer only after this many ms (to provoke timeouts). */
  delayMs?: number;
}

/** Answers one WS command: a result, HA's error, or nothing at all. */
export type WsReply = { result: unknown } | { error: { code: string; message: string } } | 'silence';

export interface CompressedState {
  s: string;
  a?: Record<string, unknown>;
  /** last_changed, epoch seconds. */
  lc: number;
}

export class FakeHomeAssistant {
  readonly requests: RecordedRequest[] = [];
  readonly commands: Array<Record<string, unknown>> = [];
  readonly rest = new Map<string, (request: RecordedRequest) => RestReply>();
  readonly ws = new Map<string, (message: Record<string, unknown>) => WsReply>();
  /** What `subscribe_entities` sends first (HA's compressed `a` form). */
  entities: Record<string, CompressedState> = {};
  /** False: accept `subscribe_entities` but never send the states. */
  sendEntities = true;
  /** Set: answer `subscribe_entities` with this error. */
  refuseEntities?: { code: string; message: string };
  /** Every WebSocket ever accepted (a new one per reconnect). */
  wsConnections = 0;

  private server?: Server;
  private wss?: WebSocketServer;
  private readonly subscribers = new Map<WebSocket, number>();
  private port = 0;

  private constructor(private readonly token: string) {}

  static async start(token = 'good-token'): Promise<FakeHomeAssistant> {
    const fake = new FakeHomeAssistant(token);
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sockets currently subscribed to `subscribe_entities`. */
  get entitySubscribers(): number {
    return this.subscribers.size;
  }

  /** WebSockets currently open. */
  get openSockets(): number {
    return this.wss?.clients.size ?? 0;
  }

  /** Sends a state change (HA's compressed `c` form) to every entity subscriber. */
  pushChange(entityId: string, state: string, lastChanged: number): void {
    for (const [socket, id] of this.subscribers) {
      socket.send(JSON.stringify({ id, type: 'event', event: { c: { [entityId]: { '+': { s: state, lc: lastChanged } } } } }));
    }
  }

  /** Stops listening and drops every connection, as when HA restarts. */
  async stop(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.wss?.clients ?? []) socket.terminate();
    this.subscribers.clear();
    this.wss?.close();
    this.server.closeAllConnections();
    const closed = once(this.server, 'close');
    this.server.close();
    await closed;
    this.server = undefined;
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.port);
  }

  private async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.answerRest(req).then((reply) => {
        const send = () => {
          if (reply.text !== undefined) {
            res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/plain' });
            res.end(reply.text);
          } else {
            res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(reply.json ?? null));
          }
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    this.wss = new WebSocketServer({ server, path: '/api/websocket' });
    this.wss.on('connection', (socket) => this.answerWebSocket(socket));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async answerRest(req: IncomingMessage): Promise<RestReply> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
    };
    this.requests.push(request);
    if (request.authorization !== `Bearer ${this.token}`) return { status: 401, text: '401: Unauthorized' };
    const pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (pathname === '/api/') return { json: { message: 'API running.' } };
    const handler = this.rest.get(`${request.method} ${pathname}`);
    return handler ? handler(request) : { status: 404, json: { message: 'Resource not found' } };
  }

  private answerWebSocket(socket: WebSocket): void {
    this.wsConnections++;
    const send = (message: unknown) => socket.send(JSON.stringify(message));
    let authenticated = false;
    send({ type: 'auth_required', ha_version: '2026.11.0' });
    socket.on('close', () => this.subscribers.delete(socket));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (!authenticated) {
        if (message['type'] === 'auth' && message['access_token'] === this.token) {
          authenticated = true;
          send({ type: 'auth_ok', ha_version: '2026.11.0' });
        } else {
          send({ type: 'auth_invalid', message: 'Invalid access token or password' });
          socket.close();
        }
        return;
      }
      const { id, type } = message as { id: number; type: string };
      if (type === 'supported_features') return send({ id, type: 'result', success: true, result: null });
      this.commands.push(message);
      if (type === 'subscribe_entities' && this.refuseEntities) {
        return send({ id, type: 'result', success: false, error: this.refuseEntities });
      }
      if (type === 'subscribe_entities') {
        this.subscribers.set(socket, id);
        send({ id, type: 'result', success: true, result: null });
        if (this.sendEntities) send({ id, type: 'event', event: { a: this.entities } });
        return;
      }
      if (type === 'unsubscribe_events') return send({ id, type: 'result', success: true, result: null });
      const handler = this.ws.get(type);
      const reply: WsReply = handler ? handler(message) : { error: { code: 'unknown_command', message: 'Unknown command.' } };
      if (reply === 'silence') return;
      if ('result' in reply) send({ id, type: 'result', success: true, result: reply.result });
      else send({ id, type: 'result', success: false, error: reply.error });
    });
  }
}
