// Test databases for integration specs and e2e runs: PGlite always, plus a real PostgreSQL when
// one is at hand (DATABASE_URL, else a Testcontainers one when a container engine is reachable).
// Every database is isolated (its own schema or its own PGlite directory) so runs don't collide.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource } from './lib/database/aether-data-source';
import type { DatabaseTarget } from './lib/database/database-target';
import { runPendingMigrations } from './lib/database/migration-runner';
import { pgliteTemplate, pgliteTemplatePath } from './lib/database/pglite-template';

/**
 * The machine's empty-database template (one initdb per machine and PGlite version, in the temp
 * dir), made if missing; its path, or undefined when it could not be had. Test stacks that start
 * processes in a fresh data directory place a copy there (`pgliteTemplatePath(dataDir)`), so each
 * new PGlite unpacks it instead of running initdb.
 */
export async function sharedPgliteTemplate(): Promise<string | undefined> {
  const file = pgliteTemplatePath(os.tmpdir());
  return (await pgliteTemplate(file)) ? file : undefined;
}

export { pgliteTemplatePath };

export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  target: DatabaseTarget;
  /** Migrated and open. */
  dataSource: DataSource;
  /** Closes `dataSource` and opens the same database again, as a restarted process would (PGlite: `persistent` only). */
  reopen(): Promise<DataSource>;
  /**
   * Another open DataSource on the same database, like a second replica of a service (PostgreSQL
   * only: PGlite is single-process). Closed by `close()`.
   */
  connectAnother(): Promise<DataSource>;
  /** Closes every DataSource and deletes the database (schema or directory). */
  close(): Promise<void>;
}

const CONTAINER_SOCKETS = ['/var/run/docker.sock', '/run/podman/podman.sock', `/run/user/${process.getuid?.() ?? 0}/podman/podman.sock`];

let chosenKinds: TestDatabaseKind[] | undefined;
let postgresSource: 'DATABASE_URL' | 'testcontainers' | undefined;

/** A reachable container engine's socket (DOCKER_HOST or a well-known docker/podman socket), if any. */
function containerEngine(): string | undefined {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const socket = CONTAINER_SOCKETS.find((candidate) => existsSync(candidate));
  return socket ? `unix://${socket}` : undefined;
}

/**
 * The databases this run tests against: always PGlite; PostgreSQL too when DATABASE_URL is set
 * (CI) or a container engine is reachable (Testcontainers). Says which, once, on stderr.
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  if (chosenKinds) return chosenKinds;
  let note: string;
  if (process.env.DATABASE_URL) {
    postgresSource = 'DATABASE_URL';
    note = `PGlite + PostgreSQL at ${redact(process.env.DATABASE_URL)} (isolated aether_test_* schemas)`;
  } else if (containerEngine()) {
    postgresSource = 'testcontainers';
    note = `PGlite + PostgreSQL in a Testcontainers container (${containerEngine()})`;
  } else {
    note = 'PGlite only (no DATABASE_URL and no container engine: PostgreSQL not tested)';
  }
  chosenKinds = postgresSource ? ['pglite', 'postgres'] : ['pglite'];
  process.stderr.write(`[test databases] ${note}\n`);
  return chosenKinds;
}

export interface TestDatabaseOptions {
  /**
   * PGlite only: keep it in a temporary directory instead of memory, so `reopen()` can show what
   * survives a restart. Slower to create (PGlite runs initdb into the directory).
   */
  persistent?: boolean;
}

/** Opens a fresh, migrated, isolated database of the given kind. */
export async function openTestDatabase(kind: TestDatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (kind === 'pglite') return openPGliteTestDatabase(options.persistent ?? false);
  const server = await postgresServer();
  const schema = await createPostgresTestSchema(server.url);
  const target: DatabaseTarget = { kind: 'postgres', url: server.url, schema: schema.schema };
  const extra: DataSource[] = [];
  let dataSource = await openMigrated(target);
  return {
    kind,
    target,
    get dataSource() {
      return dataSource;
    },
    async reopen() {
      await dataSource.destroy();
      dataSource = await openMigrated(target);
      return dataSource;
    },
    async connectAnother() {
      const another = await openDataSource(target, 'aether-test-replica');
      extra.push(another);
      return another;
    },
    async close() {
      for (const source of [dataSource, ...extra]) if (source.isInitialized) await source.destroy();
      await schema.drop();
      await server.release();
    },
  };
}

async function openPGliteTestDatabase(persistent: boolean): Promise<TestDatabase> {
  const dir = persistent ? await mkdtemp(path.join(os.tmpdir(), 'aether-pglite-test-')) : undefined;
  // One initdb per machine and PGlite version (the template in the temp dir), not one per test database.
  const target: DatabaseTarget = { kind: 'pglite', dataDir: dir, templateFile: pgliteTemplatePath(os.tmpdir()) };
  let dataSource = await openMigrated(target);
  return {
    kind: 'pglite',
    target,
    get dataSource() {
      return dataSource;
    },
    async reopen() {
      if (!dir) throw new Error('An in-memory PGlite does not survive closing: open it with { persistent: true } to reopen it');
      await dataSource.destroy();
      dataSource = await openMigrated(target);
      return dataSource;
    },
    async connectAnother(): Promise<DataSource> {
      throw new Error('PGlite is single-process: share the one DataSource instead of opening another');
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openMigrated(target: DatabaseTarget): Promise<DataSource> {
  const dataSource = await openDataSource(target, 'aether-test');
  try {
    await runPendingMigrations(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

export interface PostgresTestSchema {
  /** The server's URL (pass with `DATABASE_SCHEMA=schema` to a process under test). */
  databaseUrl: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty `aether_test_<random>` schema on the server (default: DATABASE_URL), for
 * starting real processes against PostgreSQL with `DATABASE_URL` + `DATABASE_SCHEMA`; they run
 * their migrations at start (development/test).
 */
export async function createPostgresTestSchema(databaseUrl = process.env.DATABASE_URL): Promise<PostgresTestSchema> {
  if (!databaseUrl) throw new Error('createPostgresTestSchema needs a DATABASE_URL');
  const schema = `aether_test_${randomBytes(6).toString('hex')}`;
  await withPostgresClient(databaseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    databaseUrl,
    schema,
    drop: () => withPostgresClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

/** Runs `use` with a connected `pg` client on `url`, and ends it. */
export async function withPostgresClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

interface PostgresServer {
  url: string;
  release(): Promise<void>;
}

// One Testcontainers server per test file, shared by its databases and stopped with the last.
let container: { url: Promise<string>; stop: () => Promise<void>; users: number } | undefined;

async function postgresServer(): Promise<PostgresServer> {
  testDatabaseKinds();
  if (postgresSource === 'DATABASE_URL') return { url: process.env.DATABASE_URL as string, release: async () => undefined };
  if (postgresSource !== 'testcontainers') {
    throw new Error('No PostgreSQL for tests: set DATABASE_URL or make a container engine reachable (DOCKER_HOST)');
  }
  if (!container) {
    process.env.DOCKER_HOST ??= containerEngine();
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    let stop: () => Promise<void> = async () => undefined;
    const url = import('@testcontainers/postgresql').then(async ({ PostgreSqlContainer }) => {
      const started = await new PostgreSqlContainer('postgres:17-alpine').start();
      stop = async () => void (await started.stop());
      return started.getConnectionUri();
    });
    container = { url, stop: () => stop(), users: 0 };
  }
  const current = container;
  current.users += 1;
  return {
    url: await current.url,
    release: async () => {
      current.users -= 1;
      if (current.users === 0 && container === current) {
        container = undefined;
        await current.stop();
      }
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.host;
  } catch {
    return 'DATABASE_URL';
  }
}
