import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { applyServerTimeouts } from './http-server-timeouts';

describe('applyServerTimeouts', () => {
  let server: Server;

  beforeEach(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url !== '/stream') return void response.end('ok');
        // An SSE answer with heartbeats that lasts well past requestTimeout (300 ms).
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        let beats = 0;
        const heartbeat = setInterval(() => {
          response.write(': heartbeat\n\n');
          if (++beats === 10) {
            clearInterval(heartbeat);
            response.end('data: [DONE]\n\n');
          }
        }, 100);
      });
    });
    applyServerTimeouts(server, { headersTimeoutMs: 200, requestTimeoutMs: 300, keepAliveTimeoutMs: 65_000, shutdownDrainMs: 0 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  async function heldSocketResponse(firstBytes: string): Promise<string> {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(firstBytes);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await once(socket, 'close');
    return received;
  }

  it('sets keepAliveTimeout', () => {
    expect(server.keepAliveTimeout).toBe(65_000);
  });

  it('cuts off a client that never finishes its headers', async () => {
    const answer = await heldSocketResponse('GET / HTTP/1.1\r\nHost: x\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a body that never finishes arriving', async () => {
    const answer = await heldSocketResponse('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n12');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('lets a streaming answer with heartbeats outlive requestTimeout', async () => {
    const answer = await heldSocketResponse('GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.match(/: heartbeat/g)).toHaveLength(10);
    expect(answer).toContain('data: [DONE]');
  });
});
