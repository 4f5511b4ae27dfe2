// Entry point of the process stack's database server (tools/start-distributed/stack.mjs bundles and
// starts it when DATABASE_URL is unset). Environment: AETHER_DATA_DIR (default .aether),
// AETHER_DATABASE_PORT (default 0 = a free port), DATABASE_SCHEMA (default public).
// Reports readiness once, as a `{ type: 'ready', url, … }` IPC message when started with an IPC
// channel, and as a log line. SIGTERM / SIGINT close it cleanly.
import 'reflect-metadata';
import { createProcessLoggerFromEnv } from '@aether/observability';
import { startDatabaseServer, stackDatabaseDir } from './database-server';

const logger = await createProcessLoggerFromEnv('database');
const log = (message: string) => logger.info(message);
const started = Date.now();
const dataDir = stackDatabaseDir(process.env['AETHER_DATA_DIR']?.trim() || '.aether');

try {
  const server = await startDatabaseServer({
    dataDir,
    port: Number(process.env['AETHER_DATABASE_PORT'] || 0),
    schema: process.env['DATABASE_SCHEMA']?.trim() || 'public',
    log,
  });
  // A new database ran initdb in a second, temporary PGlite whose WebAssembly memory (~300 MB) is
  // garbage now: collect it instead of carrying it in the RSS until V8 feels like it (the stack
  // starts this process with --expose-gc).
  if (server.created) (globalThis as { gc?: () => void }).gc?.();
  log(
    `PGlite at ${server.dataDir} serving ${server.url}` +
      ` (${server.created ? 'new database' : 'existing database'}${server.migrated.length ? `, applied ${server.migrated.join(', ')}` : ''}; ready in ${Date.now() - started} ms)`,
  );
  process.send?.({ type: 'ready', url: server.url, port: server.port, dataDir: server.dataDir, created: server.created, migrated: server.migrated });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // The stack that started this process going away (IPC closed) must not leave the database behind.
  process.on('disconnect', () => void shutdown('parent gone'));
} catch (error) {
  logger.fatal({ stack: error instanceof Error ? error.stack : String(error) }, 'failed to start');
  process.exit(1);
}
