import { stopTracing } from '@aether/observability';
import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { JSON_RPC_INTERNAL_ERROR, jsonRpcError } from '@aether/a2a';
import type { ShutdownState } from '@aether/core';
import type { OpenAiErrorBody } from '@aether/gateway';

/** The API a service speaks, which decides the shape of its 503 while draining. */
export type ServiceApi = 'openai' | 'json-rpc';

const SHUTTING_DOWN = 'The service is shutting down; send the request again (to another instance if there is one).';

/** Health and readiness answer during a drain: they report it (readiness fails) instead of being refused. */
const PROBE_PATH = /(^|\/)(health|ready)\/?$/;

/**
 * Counts the requests in flight and, once `state` drains, refuses new ones with 503 and
 * `Connection: close` so clients move on (and keep-alive sockets are not reused).
 */
export class DrainGate {
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly state: ShutdownState,
    private readonly api: ServiceApi,
  ) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.state.isDraining) {
      response.setHeader('Connection', 'close');
      if (!PROBE_PATH.test(request.path)) {
        response.status(503).json(this.refusal());
        return;
      }
    }
    this.inFlight += 1;
    response.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    next();
  };

  /** Resolves when no admitted request is in flight. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private refusal(): OpenAiErrorBody | ReturnType<typeof jsonRpcError> {
    return this.api === 'openai'
      ? { error: { message: SHUTTING_DOWN, type: 'server_error', param: null, code: 'server_shutting_down' } }
      : jsonRpcError(null, JSON_RPC_INTERNAL_ERROR, SHUTTING_DOWN);
  }
}

export interface GracefulShutdownOptions {
  service: string;
  state: ShutdownState;
  gate: DrainGate;
  drainMs: number;
  signals?: readonly NodeJS.Signals[];
  /** Ends the process (tests pass their own). */
  exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: readiness fails and new requests get 503 at once, requests and streams in
 * flight get up to `drainMs` to finish, then the remaining connections are closed, the app closes
 * (Nest's shutdown hooks run) and the process exits 0. Replaces Nest's `enableShutdownHooks`, which
 * closes at once and then re-raises the signal, so the process would die by the signal (a non-zero
 * status for supervisors such as `nx serve`). A repeated signal during the drain is ignored; a
 * supervisor that cannot wait sends SIGKILL.
 *
 * Idle keep-alive sockets stay open during the drain on purpose: closing one races a client that is
 * sending on it that very moment, which then sees a reset ("other side closed") instead of an
 * answer. Left open, a reused socket gets the 503 with `Connection: close`, a clear signal that
 * A2A callers and the OpenAI SDKs retry on a fresh connection.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): () => Promise<void> {
  const logger = new Logger(options.service);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;

  const stop = (reason: string): Promise<void> => {
    if (stopping) {
      logger.log(`${reason} received while draining; still draining`);
      return stopping;
    }
    stopping = (async () => {
      logger.log(`${reason} received: draining (up to ${options.drainMs} ms), then stopping`);
      options.state.beginDrain();
      const server = app.getHttpServer() as Server;
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        options.gate.idle().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.drainMs))),
      ]);
      clearTimeout(timer);
      if (!drained) logger.warn(`requests still in flight after ${options.drainMs} ms: closing them`);
      server.closeAllConnections();
      try {
        await app.close();
        // The spans of the last requests, exported before the process ends (bounded: an unreachable collector must not hold the exit).
        await Promise.race([stopTracing().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      } catch (error) {
        logger.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
        return;
      }
      exit(0);
    })();
    return stopping;
  };

  for (const signal of options.signals ?? (['SIGTERM', 'SIGINT'] as const)) {
    process.on(signal, () => void stop(signal));
  }
  return () => stop('stop');
}
