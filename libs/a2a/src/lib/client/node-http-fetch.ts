import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for the A2A SDK client over `node:http` with kept-alive, no-delay sockets. Node's
 * built-in fetch (undici) spends a large share of a loopback hop on its WHATWG machinery; the SDK
 * only needs a POST with a string body and a `Response` whose body it reads as a stream, which
 * this gives at a fraction of the cost. Aborting `init.signal` destroys the request and errors the
 * body stream, like fetch.
 */
export function createNodeHttpFetch(): typeof fetch {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const protocol = url.protocol as keyof typeof agents;
      const send = protocol === 'https:' ? httpsRequest : protocol === 'http:' ? httpRequest : undefined;
      if (!send) return reject(new TypeError(`fetch: unsupported protocol ${url.protocol}`));
      const body = init.body ?? undefined;
      if (body !== undefined && typeof body !== 'string') return reject(new TypeError('fetch: only string bodies are supported'));
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const req = send(url, { method: init.method ?? 'GET', headers, agent: agents[protocol], signal: init.signal ?? undefined }, (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = toHeaders(res.headers);
        if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
          res.resume();
          resolve(new Response(null, { status, statusText: res.statusMessage, headers: responseHeaders }));
          return;
        }
        resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, statusText: res.statusMessage, headers: responseHeaders }));
      });
      req.on('socket', (socket) => socket.setNoDelay(true));
      req.on('error', reject);
      req.end(body);
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
