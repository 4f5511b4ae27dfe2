import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ShutdownState } from '@aether/core';
import { DrainGate, installGracefulShutdown } from './graceful-shutdown';

/** Lets a test hold one request in flight for as long as it wants. */
let releaseSlow: () => void = () => undefined;
let slowStarted: () => void = () => undefined;

@Controller()
class ProbeController {
  @Get('quick')
  quick(): { ok: true } {
    return { ok: true };
  }

  @Get('slow')
  async slow(): Promise<{ finished: true }> {
    await new Promise<void>((resolve) => {
      releaseSlow = resolve;
      slowStarted();
    });
    return { finished: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** One raw keep-alive connection, so the test decides exactly which socket each request uses. */
class RawConnection {
  private buffered = '';
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a GET and resolves with the status line and headers of its response (body read too). */
  async get(path: string): Promise<{ status: number; headers: string; body: string } | 'closed'> {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    for (;;) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const headers = this.buffered.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
        if (this.buffered.length >= end + 4 + length) {
          const body = this.buffered.slice(end + 4, end + 4 + length);
          this.buffered = this.buffered.slice(end + 4 + length);
          return { status: Number(headers.split(' ')[1]), headers, body };
        }
      }
      if (this.closed) return 'closed';
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

describe('graceful shutdown', () => {
  let app: INestApplication;
  let port: number;
  let stop: () => Promise<void>;
  let exitCode: Promise<number>;
  const connections: RawConnection[] = [];

  beforeEach(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    const state = new ShutdownState();
    const gate = new DrainGate(state, 'openai');
    app.use(gate.middleware);
    let exit: (code: number) => void = () => undefined;
    exitCode = new Promise((resolve) => (exit = resolve));
    stop = installGracefulShutdown(app, { service: 'probe', state, gate, drainMs: 5_000, signals: [], exit });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(async () => {
    releaseSlow();
    for (const connection of connections.splice(0)) connection.destroy();
    await app.close().catch(() => undefined);
  });

  const open = async () => {
    const connection = await RawConnection.open(port);
    connections.push(connection);
    return connection;
  };

  it('answers a request sent on an idle keep-alive socket during the drain with 503 and Connection: close, not a reset', async () => {
    const idle = await open();
    expect(await idle.get('/quick')).toMatchObject({ status: 200 });
    const inFlight = await open();
    const admitted = new Promise<void>((resolve) => (slowStarted = resolve));
    const slow = inFlight.get('/slow');
    await admitted;

    const stopped = stop();
    const refused = await idle.get('/quick');

    expect(refused).not.toBe('closed');
    expect(refused).toMatchObject({ status: 503 });
    if (refused === 'closed') return;
    expect(refused.headers).toMatch(/^connection: close$/im);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'server_shutting_down', type: 'server_error' } });

    // The request admitted before the drain still finishes, then the process exits 0.
    releaseSlow();
    expect(await slow).toMatchObject({ status: 200, body: JSON.stringify({ finished: true }) });
    await stopped;
    expect(await exitCode).toBe(0);
  });

  it('exits 0 at once when nothing is in flight, and closes the idle sockets it kept', async () => {
    const idle = await open();
    expect(await idle.get('/quick')).toMatchObject({ status: 200 });

    await stop();

    expect(await exitCode).toBe(0);
    expect(await idle.get('/quick')).toBe('closed');
  });
});
