import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../persistence-schema';
import { describeDatabaseTarget, type DatabaseTarget } from './database-target';
import { lockDataDir, type DataDirLockOptions } from './pglite-data-dir-lock';
import { holdsDatabase, pgliteTemplate } from './pglite-template';

/** Thrown when a second PGlite DataSource is opened while one is open in this process. */
export class PGliteAlreadyOpenError extends Error {
  constructor(open: string, requested: string) {
    super(
      `typeorm-pglite keeps one PGlite instance per process: ${open} is open, so ${requested} cannot be opened until it is closed`,
    );
    this.name = 'PGliteAlreadyOpenError';
  }
}

// typeorm-pglite holds a single process-wide PGlite instance, configured by the last PGliteDriver
// constructed, and closes it when any DataSource on it closes. So one PGlite DataSource may be open
// per process at a time: a second one fails loudly instead of silently sharing or closing the first.
// (Services need just one; share that DataSource instead of opening another.)
let openPGlite: string | undefined;

/**
 * How every embedded PGlite starts. PostgreSQL's default 128 MB of shared buffers live in PGlite's
 * WebAssembly memory, i.e. in the process's RSS (measured for the stack's database server: 289 MB
 * after open vs 185 MB with 16 MB). A home's catalog, conversations and tasks are a few MB; files
 * are still read through the OS page cache.
 */
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, '-c', 'shared_buffers=16MB'];
}

/**
 * The TypeORM options for a target; no `synchronize` ever: the schema comes from migrations.
 * PGlite and its driver are imported only for a PGlite target: a service that reaches its database
 * over the wire (the process stack's database server, or PostgreSQL) never loads them (≈ 10 MB RSS).
 */
export async function dataSourceOptions(target: DatabaseTarget, applicationName = 'aether', pgliteTemplate?: Blob): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'aether_migrations',
    synchronize: false,
    logging: ['error' as const],
  };
  if (target.kind === 'pglite') {
    const [{ PGlite }, { PGliteDriver }] = await Promise.all([import('@electric-sql/pglite'), import('typeorm-pglite')]);
    const options = {
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(pgliteTemplate ? { loadDataDir: pgliteTemplate } : {}),
      startParams: pgliteStartParams(PGlite.defaultStartParams),
    };
    return { ...common, driver: new PGliteDriver(options).driver };
  }
  return {
    ...common,
    url: target.url,
    schema: target.schema,
    applicationName,
    // Migrations and the stores write unqualified table names: search_path makes them land in the schema.
    extra: { options: `-c search_path=${target.schema}` },
  };
}

/**
 * Opens (initialises) a DataSource on the target. For PostgreSQL the schema is created first when
 * missing; for PGlite the data directory is, and it is locked for this process until the
 * DataSource is destroyed (see `lockDataDir`; `lock` says how long to wait for it). Migrations are
 * NOT run here (see migration-runner).
 */
export async function openDataSource(target: DatabaseTarget, applicationName?: string, lock?: DataDirLockOptions): Promise<DataSource> {
  if (target.kind === 'postgres') {
    await ensureSchema(target.url, target.schema);
    return new DataSource(await dataSourceOptions(target, applicationName)).initialize();
  }
  const key = target.dataDir ?? ':memory:';
  if (openPGlite !== undefined) {
    throw new PGliteAlreadyOpenError(describeDatabaseTarget(pgliteTarget(openPGlite)), describeDatabaseTarget(target));
  }
  openPGlite = key;
  let template: Blob | undefined;
  let unlock: () => Promise<void> = async () => undefined;
  try {
    // An in-memory database is always new; a directory is new until initdb has written it.
    const fresh = !target.dataDir || !holdsDatabase(target.dataDir);
    if (target.dataDir) {
      await mkdir(target.dataDir, { recursive: true });
      unlock = await lockDataDir(target.dataDir, lock);
    }
    if (fresh && target.templateFile) template = await pgliteTemplate(target.templateFile);
  } catch (error) {
    openPGlite = undefined;
    await unlock().catch(() => undefined);
    throw error;
  }
  let dataSource: DataSource;
  try {
    dataSource = new DataSource(await dataSourceOptions(target, applicationName, template));
  } catch (error) {
    openPGlite = undefined;
    await unlock().catch(() => undefined);
    throw error;
  }
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    openPGlite = undefined;
    try {
      // typeorm-pglite's pool closes the PGlite instance itself; a never-initialised one has nothing to close.
      if (dataSource.isInitialized) await destroy();
    } finally {
      await unlock().catch(() => undefined);
    }
  };
  try {
    return await dataSource.initialize();
  } catch (error) {
    openPGlite = undefined;
    await unlock().catch(() => undefined);
    throw error;
  }
}

function pgliteTarget(key: string): DatabaseTarget {
  return { kind: 'pglite', dataDir: key === ':memory:' ? undefined : key };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Concurrent starters may race on CREATE SCHEMA IF NOT EXISTS (unique violation): ignore that.
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).catch((error: { code?: string }) => {
      if (error.code !== '23505' && error.code !== '42P06') throw error;
    });
  } finally {
    await client.end();
  }
}
