import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Pool limits of the kept-alive agents (per process, per agent service). */
export interface NodeHttpPoolOptions {
  /** Concurrent connections per agent service (default 64): a burst queues instead of opening hundreds of sockets. */
  maxSockets?: number;
  /** Idle connections kept per agent service (default 16). */
  maxFreeSockets?: number;
  /**
   * How long an idle connection is kept (default 4 000 ms). Below the services' keep-alive
   * timeout (Node's default is 5 s), so the client never reuses a socket the server is closing —
   * the race behind "fetch failed (other side closed)". Node also honours a shorter
   * `Keep-Alive: timeout=…` hint of the server.
   */
  freeSocketTimeoutMs?: number;
  /** Time a TCP connection may take to open before the request fails (default 3 000 ms). */
  connectTimeoutMs?: number;
}

/** Per-request options the A2A client passes through `RequestInit` (ignored by any other fetch). */
export interface NodeHttpRequestOptions {
  /** Open a new connection instead of reusing a pooled one (a retry after a broken connection). */
  freshConnection?: boolean;
  /** Called for every chunk of the response body: proof the peer is alive (events and SSE heartbeats). */
  onData?: () => void;
}

/** `RequestInit` key of `NodeHttpRequestOptions`. */
export const NODE_HTTP_REQUEST_OPTIONS = Symbol.for('aether.a2a.node-http-request-options');

/** The error of a connection that did not open within the connect timeout. */
export class ConnectTimeoutError extends Error {
  readonly code = 'ECONNECTTIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`connect timed out after ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/**
 * A `fetch` for the A2A SDK client over `node:http` with kept-alive, no-delay sockets. Node's
 * built-in fetch (undici) spends a large share of a loopback hop on its WHATWG machinery; the SDK
 * only needs a POST with a string body and a `Response` whose body it reads as a stream, which
 * this gives at a fraction of the cost. Aborting `init.signal` destroys the request and errors the
 * body stream, like fetch.
 */
export function createNodeHttpFetch(pool: NodeHttpPoolOptions = {}): typeof fetch {
  const agentOptions = {
    keepAlive: true,
    maxSockets: pool.maxSockets ?? 64,
    maxFreeSockets: pool.maxFreeSockets ?? 16,
    // Node applies an agent's `timeout` to sockets returned to the pool: an idle one is closed after it.
    timeout: pool.freeSocketTimeoutMs ?? 4_000,
  };
  const agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) };
  const connectTimeoutMs = pool.connectTimeoutMs ?? 3_000;
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const protocol = url.protocol as keyof typeof agents;
      const send = protocol === 'https:' ? httpsRequest : protocol === 'http:' ? httpRequest : undefined;
      if (!send) return reject(new TypeError(`fetch: unsupported protocol ${url.protocol}`));
      const body = init.body ?? undefined;
      if (body !== undefined && typeof body !== 'string') return reject(new TypeError('fetch: only string bodies are supported'));
      const options = (init as { [NODE_HTTP_REQUEST_OPTIONS]?: NodeHttpRequestOptions })[NODE_HTTP_REQUEST_OPTIONS];
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      // `agent: false`: a one-off connection outside the pool, so a retry never picks another stale socket.
      const agent = options?.freshConnection ? false : agents[protocol];
      const req = send(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined }, (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = toHeaders(res.headers);
        if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
          res.resume();
          resolve(new Response(null, { status, statusText: res.statusMessage, headers: responseHeaders }));
          return;
        }
        const onData = options?.onData;
        // Observing 'data' does not change the flow: the web stream below reads in flowing mode anyway.
        if (onData) res.on('data', onData);
        const stream = withCheapTextDecoding(Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders }));
      });
      req.on('socket', (socket) => {
        socket.setNoDelay(true);
        if (!socket.connecting) return;
        const timer = setTimeout(() => req.destroy(new ConnectTimeoutError(connectTimeoutMs)), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * The SDK reads an SSE body as `response.body.pipeThrough(new TextDecoderStream())`. Node's
 * `TextDecoderStream` is a `TransformStream` whose end builds an `Error` with a stack trace
 * (`TransformStream terminated`) every time: measured at ~70 µs per stream, over a tenth of a
 * loopback hop. This body answers that one call with the same strings decoded by pulling from it
 * (errors and cancel pass through); any other transform is piped as usual.
 */
function withCheapTextDecoding(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const pipeThrough = body.pipeThrough.bind(body) as (transform: ReadableWritablePair<unknown, Uint8Array>, options?: StreamPipeOptions) => ReadableStream<unknown>;
  Object.defineProperty(body, 'pipeThrough', {
    value: (transform: ReadableWritablePair<unknown, Uint8Array>, options?: StreamPipeOptions) =>
      transform instanceof TextDecoderStream ? decodedByPulling(body) : pipeThrough(transform, options),
  });
  return body;
}

function decodedByPulling(body: ReadableStream<Uint8Array>): ReadableStream<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  return new ReadableStream<string>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (!done) {
        controller.enqueue(decoder.decode(value, { stream: true }));
        return;
      }
      const tail = decoder.decode();
      if (tail) controller.enqueue(tail);
      controller.close();
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
