import { createConnection, createServer, type Socket } from 'node:net';

/**
 * What the proxy does to one connection (chosen when its first request arrives; only `POST`s —
 * A2A calls — take planned faults):
 * - `pass`: relays both ways;
 * - `drop-before-request`: resets the caller's connection as soon as it sends, without ever
 *   reaching the service (a stale kept-alive socket, "other side closed");
 * - `drop-after-request`: relays the request to the service, then resets the caller's connection
 *   before any of the answer reaches it (the service did receive the call);
 * - `drop-after-first-event`: relays the answer up to the end of its first SSE event, then resets;
 * - `hang`: accepts and never answers (a stopped process: the kernel still accepts connections);
 * - `refuse-503`: answers 503 with `Connection: close` without reaching the service (a service
 *   draining for shutdown, or a proxy in front of one that is down).
 */
export type ConnectionFault = 'pass' | 'drop-before-request' | 'drop-after-request' | 'drop-after-first-event' | 'hang' | 'refuse-503';

const SHUTTING_DOWN_BODY = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'The service is shutting down' } });

export interface FaultProxy {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Faults for the next connections, in order; later ones pass. */
  plan(...faults: ConnectionFault[]): void;
  /** The fault of every connection once the plan is used up (default `pass`). */
  setDefault(fault: ConnectionFault): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `targetPort` that breaks chosen connections on purpose. */
export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const planned: ConnectionFault[] = [];
  let fallback: ConnectionFault = 'pass';
  let connections = 0;
  const open = new Set<Socket>();

  const server = createServer((client) => {
    connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    // The fault is chosen by the first request on the connection: only A2A calls (`POST`) take a
    // planned fault, so a health probe through the proxy never uses one up.
    client.once('data', (first: Buffer) => {
      const fault = first.subarray(0, 5).toString('latin1') === 'POST ' ? (planned.shift() ?? fallback) : 'pass';
      if (fault === 'hang') return;
      if (fault === 'drop-before-request') {
        client.resetAndDestroy();
        return;
      }
      if (fault === 'refuse-503') {
        client.end(
          `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(SHUTTING_DOWN_BODY)}\r\n\r\n${SHUTTING_DOWN_BODY}`,
        );
        return;
      }
      relay(client, first, fault);
    });
  });

  function relay(client: Socket, first: Buffer, fault: ConnectionFault): void {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.write(first);
    client.on('data', (chunk) => upstream.write(chunk));

    let relayed = '';
    upstream.on('data', (chunk: Buffer) => {
      if (client.destroyed) return;
      if (fault === 'drop-after-request') {
        client.resetAndDestroy();
        return;
      }
      if (fault === 'drop-after-first-event') {
        relayed += chunk.toString('latin1');
        const event = relayed.indexOf('data:');
        const end = event === -1 ? -1 : relayed.indexOf('\n\n', event);
        if (end === -1) {
          client.write(chunk);
          return;
        }
        const already = relayed.length - chunk.length;
        client.write(chunk.subarray(0, end + 2 - already), () => client.resetAndDestroy());
        return;
      }
      client.write(chunk);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    plan: (...faults) => void planned.push(...faults),
    setDefault: (fault) => void (fallback = fault),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
