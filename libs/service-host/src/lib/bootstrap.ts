import 'reflect-metadata';
import { Logger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AETHER_CONFIG, ConfigError, loadConfig, requireAgentUrls, type AetherConfig } from '@aether/config';
import { isAgentName, ShutdownState } from '@aether/core';
import { createProcessLogger, PinoNestLogger } from '@aether/observability';
import type { Logger as Pino } from 'pino';
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
  let startupConfig: AetherConfig | undefined;
  let configError: unknown;
  try {
    startupConfig = loadConfig();
  } catch (error) {
    configError = error;
  }
  // The process's one logger, before anything logs (a bad LOG_LEVEL or LOG_FORMAT is reported by it at the default level).
  const logger = await createProcessLogger({
    service: options.service,
    level: startupConfig?.logLevel ?? 'log',
    ...(startupConfig?.logFormat ? { format: startupConfig.logFormat } : {}),
  });
  if (configError) failStartup(logger, configError);
  try {
    // Checked here too (AgentRuntimeModule checks it for any host) so that a missing service URL
    // is one clear line rather than a Nest stack trace.
    requireAgentUrls(startupConfig!, isAgentName(options.service) ? options.service : undefined);
  } catch (error) {
    failStartup(logger, error);
  }

  let app: INestApplication;
  try {
    // Bodies are parsed per API (OpenAI errors on the gateway, JSON-RPC errors on agents).
    app = await NestFactory.create(appModule, { bodyParser: false, abortOnError: false, logger: new PinoNestLogger(logger) });
  } catch (error) {
    failStartup(logger, error);
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
    failStartup(logger, error);
  }
  // Nest names a wildcard address (containers listen on 0.0.0.0) as 127.0.0.1: say what it is.
  const where = ['0.0.0.0', '::'].includes(config.host)
    ? `port ${port} on all interfaces`
    : (await app.getUrl()).replace('[::1]', 'localhost');
  new Logger(options.service).log(`${options.service} listening on ${where} (DEPLOYMENT_MODE=${config.deploymentMode})`);
  return app;
}

function failStartup(logger: Pino, error: unknown): never {
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  // The logger writes synchronously: the line is out before the exit.
  logger.fatal(`cannot start: ${message}`);
  process.exit(1);
}
