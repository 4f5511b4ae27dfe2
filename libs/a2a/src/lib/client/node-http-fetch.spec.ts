import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createNodeHttpFetch, NODE_HTTP_REQUEST_OPTIONS, type NodeHttpRequestOptions } from './node-http-fetch';

async function readAll(stream: ReadableStream<string>): Promise<string> {
  const reader = stream.getReader();
  let text = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) text += next.value;
  return text;
}

class Deferred<T = void> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve));
}

describe('createNodeHttpFetch (the A2A client transport)', () => {
  const fetchImpl = createNodeHttpFetch();
  let server: Server;
  let baseUrl: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => handler(req, res, body));
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts a string body with its headers and reuses one kept-alive connection', async () => {
    handler = (req, res, body) => res.writeHead(200, { 'Content-Type': 'application/json', 'X-Seen': req.headers['authorization'] ?? '' }).end(body);
    sockets.clear();
    for (let i = 0; i < 3; i++) {
      const response = await fetchImpl(`${baseUrl}/`, { method: 'POST', headers: { Authorization: 'Bearer t' }, body: `{"n":${i}}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-seen')).toBe('Bearer t');
      expect(await response.json()).toEqual({ n: i });
    }
    expect(sockets.size).toBe(1);
  });

  it('hands the body over as it streams: the first chunk is readable before the server ends', async () => {
    const firstRead = new Deferred();
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: 1\n\n');
      void firstRead.promise.then(() => res.end('data: 2\n\n'));
    };
    const response = await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    firstRead.resolve();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 2\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('decodes the body the way the SDK reads SSE (pipeThrough a TextDecoderStream), a character split across chunks included', async () => {
    const euro = Buffer.from('€'); // 3 bytes, sent in two writes
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(Buffer.concat([Buffer.from('data: '), euro.subarray(0, 1)]));
      setImmediate(() => res.end(Buffer.concat([euro.subarray(1), Buffer.from(' 12\n\n')])));
    };
    const decoded = (await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' })).body!.pipeThrough(new TextDecoderStream());
    expect(await readAll(decoded)).toBe('data: € 12\n\n');

    // Any other transform is piped as usual.
    handler = (_req, res) => res.writeHead(200).end('abc');
    const upper = (await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' })).body!.pipeThrough(
      new TransformStream<Uint8Array, string>({ transform: (chunk, controller) => controller.enqueue(Buffer.from(chunk).toString().toUpperCase()) }),
    );
    expect(await readAll(upper)).toBe('ABC');
  });

  it('errors the decoded stream when the signal aborts', async () => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write('data: 1\n\n');
    const controller = new AbortController();
    const decoded = (await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}', signal: controller.signal })).body!.pipeThrough(new TextDecoderStream());
    const reader = decoded.getReader();
    expect((await reader.read()).value).toBe('data: 1\n\n');
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
  });

  it('errors the body stream when the signal aborts, and rejects a refused connection', async () => {
    handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write('data: 1\n\n');
    const controller = new AbortController();
    const response = await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();

    await expect(fetchImpl('http://127.0.0.1:1/', { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives a 204 a null body', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    const response = await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('closes a pooled idle connection after the free-socket timeout, before a server would', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const shortPool = createNodeHttpFetch({ freeSocketTimeoutMs: 100 });
    sockets.clear();
    const started = performance.now();
    await (await shortPool(`${baseUrl}/`, { method: 'POST', body: '{}' })).text();
    const [socket] = [...sockets];
    await new Promise((resolve) => socket.once('close', resolve));
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(performance.now() - started).toBeLessThan(server.keepAliveTimeout);
  });

  it('opens a fresh connection on request (a retry) although a pooled one is free, and reports every body chunk', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    // A pooled connection is free now.
    await (await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' })).text();
    sockets.clear();

    const firstChunk = new Deferred();
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: 1\n\n');
      void firstChunk.promise.then(() => res.end('data: 2\n\n'));
    };
    let chunks = 0;
    const options: NodeHttpRequestOptions = {
      freshConnection: true,
      onData: () => {
        chunks++;
        firstChunk.resolve();
      },
    };
    const response = await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}', [NODE_HTTP_REQUEST_OPTIONS]: options } as RequestInit);
    expect(await response.text()).toBe('data: 1\n\ndata: 2\n\n');
    expect(sockets.size).toBe(1);
    expect(chunks).toBe(2);
    // Without the option the pooled connection is reused: no new one.
    handler = (_req, res) => res.writeHead(200).end('ok');
    await (await fetchImpl(`${baseUrl}/`, { method: 'POST', body: '{}' })).text();
    expect(sockets.size).toBe(1);
  });
});
