// The process stack's one database when DATABASE_URL is unset: PGlite on a data directory, served
// over the PostgreSQL wire protocol on loopback (pglite-wire-server.ts), with the schema migrated
// once before any service connects. Every service then uses it as an ordinary DATABASE_URL.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDataSource, pgliteStartParams } from '../lib/database/aether-data-source';
import { lockDataDir, RESTART_LOCK_WAIT_MS } from '../lib/database/pglite-data-dir-lock';
import { runPendingMigrations } from '../lib/database/migration-runner';
import { holdsDatabase, pgliteTemplatePath } from '../lib/database/pglite-template';
import { PGliteWireServer } from './pglite-wire-server';

export interface DatabaseServerOptions {
  /** The PGlite directory (see `stackDatabaseDir`). */
  dataDir: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** The schema the services use (DATABASE_SCHEMA, default public): migrated here, once. */
  schema?: string;
  log?: (message: string) => void;
}

export interface DatabaseServer {
  /** What services get as DATABASE_URL. */
  url: string;
  port: number;
  dataDir: string;
  /** Whether this start created the database (initdb or template unpack). */
  created: boolean;
  /** Migrations applied by this start. */
  migrated: string[];
  stats(): { connections: number; waiting: number };
  /** Closes every connection (rolling back open transactions), then PGlite (a clean checkpoint). */
  stop(): Promise<void>;
}

/** Where the stack's database lives under AETHER_DATA_DIR (one directory, whatever the number of services). */
export function stackDatabaseDir(dataRoot: string): string {
  return path.join(path.resolve(dataRoot), 'database', 'pglite');
}

export async function startDatabaseServer(options: DatabaseServerOptions): Promise<DatabaseServer> {
  const { dataDir, host = '127.0.0.1', port = 0, schema = 'public', log = () => undefined } = options;
  const created = !holdsDatabase(dataDir);
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir, { waitMs: RESTART_LOCK_WAIT_MS, onLost: (error) => log(`database directory lock lost: ${error.message}`) });
  // A new directory unpacks the shared empty-database template when an earlier run left one
  // (cheaper than initdb); otherwise PGlite runs initdb itself (once: there is one database).
  const template = pgliteTemplatePath(path.dirname(path.dirname(dataDir)));
  const loadDataDir = created && existsSync(template) ? new Blob([await readFile(template)]) : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, {
      ...(loadDataDir ? { loadDataDir } : {}),
      startParams: pgliteStartParams(PGlite.defaultStartParams),
    });
  } catch (error) {
    await unlock().catch(() => undefined);
    throw error;
  }
  const server = new PGliteWireServer(db, { host, port, log });
  try {
    await server.listen();
  } catch (error) {
    await db.close();
    await unlock().catch(() => undefined);
    throw error;
  }
  const url = `postgres://postgres@${host}:${server.port}/postgres`;
  const stop = async () => {
    try {
      await server.close();
      if (!db.closed) await db.close();
    } finally {
      await unlock().catch(() => undefined);
    }
  };
  try {
    // Services migrate at start behind a session advisory lock, which one shared PGlite session
    // cannot make exclusive: migrating here first leaves them nothing to do.
    const dataSource = await openDataSource({ kind: 'postgres', url, schema }, 'aether-database-server');
    try {
      const migrated = await runPendingMigrations(dataSource);
      return { url, port: server.port, dataDir, created, migrated, stats: () => server.stats(), stop };
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
