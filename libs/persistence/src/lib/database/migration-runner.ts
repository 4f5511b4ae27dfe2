import type { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm';

/** How a starting service treats pending migrations. */
export type MigrationPolicy = 'run' | 'require-current';

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind: ${pending.length} pending migration(s) (${pending.join(', ')}). ` +
        'Production services do not migrate on their own: run `npx nx run persistence:migrate` (or `npm run db:migrate`) ' +
        'with the same DATABASE_URL/DATABASE_SCHEMA (or AETHER_DATA_DIR), then start again.',
    );
    this.name = 'PendingMigrationsError';
  }
}

/** Names of the migrations not yet applied, oldest first. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.map((migration) => migration.name);
}

/**
 * Runs pending migrations, each in its own transaction. On PostgreSQL a session advisory lock
 * (held on a dedicated connection, keyed by schema) serialises services that start at once against
 * one server: the first migrates, the others wait and then find nothing pending.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);

  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock(hashtext($1))', [`aether.migrations.${schema}`]);
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock(hashtext($1))', [`aether.migrations.${schema}`]);
    }
  } finally {
    await lockRunner.release();
  }
}

/** Applies the start-up policy: migrate (development, test) or refuse a schema that is behind (production). */
export async function prepareSchema(dataSource: DataSource, policy: MigrationPolicy): Promise<string[]> {
  if (policy === 'run') return runPendingMigrations(dataSource);
  const pending = await pendingMigrations(dataSource);
  if (pending.length > 0) throw new PendingMigrationsError(pending);
  return [];
}
