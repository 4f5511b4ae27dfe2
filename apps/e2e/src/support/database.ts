import { createPostgresTestSchema } from '@aether/persistence/testing';
import { embeddedDefaultsEnv } from './gateway-client';

export interface E2eDatabase {
  kind: 'PGlite' | 'PostgreSQL';
  /** Environment for every process of one stack (on top of the embedded defaults). */
  env: Record<string, string>;
  /** Drops what was created (a schema); a no-op for PGlite, whose directory the setup file removes. */
  drop(): Promise<void>;
}

/**
 * The PostgreSQL that CI (and a developer) names in DATABASE_URL, or undefined: e2e tests then run
 * their PGlite variants only.
 */
export const E2E_DATABASE_URL = process.env['DATABASE_URL']?.trim() || undefined;

/** Embedded PGlite: each process of the stack in its own directory under a fresh AETHER_DATA_DIR. */
export function pgliteDatabase(): E2eDatabase {
  return { kind: 'PGlite', env: embeddedDefaultsEnv(), drop: async () => undefined };
}

/** A fresh schema on the DATABASE_URL server, so runs and test files never see each other's rows. */
export async function postgresDatabase(databaseUrl: string): Promise<E2eDatabase> {
  const schema = await createPostgresTestSchema(databaseUrl);
  return {
    kind: 'PostgreSQL',
    env: { ...embeddedDefaultsEnv(), DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema },
    drop: () => schema.drop(),
  };
}

/**
 * For stacks of many processes whose subject is not storage: PostgreSQL when there is one (a new
 * PGlite directory per process costs an initdb each), else PGlite.
 */
export function stackDatabase(): Promise<E2eDatabase> {
  return E2E_DATABASE_URL ? postgresDatabase(E2E_DATABASE_URL) : Promise.resolve(pgliteDatabase());
}

/** The databases a storage test runs against: PGlite always, PostgreSQL when DATABASE_URL names one. */
export function databasesUnderTest(): Array<[E2eDatabase['kind'], () => Promise<E2eDatabase>]> {
  const url = E2E_DATABASE_URL;
  return [['PGlite', async () => pgliteDatabase()], ...(url ? [['PostgreSQL', () => postgresDatabase(url)] as ['PostgreSQL', () => Promise<E2eDatabase>]] : [])];
}
