import 'reflect-metadata';
import { Logger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AETHER_CONFIG, ConfigError, loadConfig, requireAgentUrls, type AetherConfig } from '@aether/config';
import { isAgentName, ShutdownState } from '@aether/core';
import type { Server } from 'node:http';
import { DrainGate, installGracefulShutdown, type ServiceApi } from './http/graceful-shutdown';
import { applyServerTimeouts } from './http/http-server-timeouts';

export interface BootstrapOptions {
  /** Service name for logs and metrics ("gateway", "architect", …). */
  service: string;
  /** Port when `PORT` is unset. */
  defaultPort: number;
  /** The shape of its errors (503 while draining): JSON-RPC for agent services, OpenAI otherwise. */
  api?: ServiceApi;
  /** Mounts what must come before every other middleware (the gateway's CORS). */
  configure?: (app: INestApplication, config: AetherConfig) => void;
}

/**
 * Creates and starts one Aether service. Configuration problems end the process with exit code 1
 * and one line naming the variable, instead of a stack trace.
 */
export async function bootstrapService(appModule: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  let logLevel: AetherConfig['logLevel'] = 'log';
  try {
    const config = loadConfig();
    logLevel = config.logLevel;
    // Checked here too (AgentRuntimeModule checks it for any host) so that a missing service URL
    // is one clear line rather than a Nest stack trace.
    requireAgentUrls(config, isAgentName(options.service) ? options.service : undefined);
  } catch (error) {
    failStartup(options.service, error);
  }
  const levels = (['error', 'warn', 'log', 'debug', 'verbose'] as const).slice(
    0,
    ['error', 'warn', 'log', 'debug', 'verbose'].indexOf(logLevel) + 1,
  );

  let app: INestApplication;
  try {
    // Bodies are parsed per API (OpenAI errors on the gateway, JSON-RPC errors on agents).
    app = await NestFactory.create(appModule, { bodyParser: false, abortOnError: false, logger: [...levels] });
  } catch (error) {
    failStartup(options.service, error);
  }
  const config = app.get<AetherConfig>(AETHER_CONFIG);
  const port = config.port ?? options.defaultPort;
  applyServerTimeouts(app.getHttpServer() as Server, config.server);
  options.configure?.(app, config);
  const shutdownState = app.get(ShutdownState, { strict: false });
  const gate = new DrainGate(shutdownState, options.api ?? (isAgentName(options.service) ? 'json-rpc' : 'openai'));
  // Registered before `listen` mounts the routes, so it sees every request first.
  app.use(gate.middleware);
  installGracefulShutdown(app, { service: options.service, state: shutdownState, gate, drainMs: config.server.shutdownDrainMs });
  try {
    await app.listen(port, config.host);
  } catch (error) {
    failStartup(options.service, error);
  }
  // Nest names a wildcard address (containers listen on 0.0.0.0) as 127.0.0.1: say what it is.
  const where = ['0.0.0.0', '::'].includes(config.host)
    ? `port ${port} on all interfaces`
    : (await app.getUrl()).replace('[::1]', 'localhost');
  new Logger(options.service).log(`${options.service} listening on ${where} (DEPLOYMENT_MODE=${config.deploymentMode})`);
  return app;
}

function failStartup(service: string, error: unknown): never {
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`[aether] ${service} cannot start: ${message}`);
  process.exit(1);
}
