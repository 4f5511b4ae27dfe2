import path from 'node:path';
import type { AetherConfig } from '@aether/config';
import { pgliteTemplatePath } from './pglite-template';

/** Where a DataSource points: a PostgreSQL server (one schema of it) or an embedded PGlite. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; schema: string }
  /**
   * `dataDir` undefined = in memory (tests only). `templateFile`: a shared tarball of an empty
   * database that a new `dataDir` is unpacked from instead of running initdb (see pglite-template).
   */
  | { kind: 'pglite'; dataDir?: string; templateFile?: string };

/**
 * The database a service uses: `DATABASE_URL` when set, else a PGlite directory of its own under
 * `AETHER_DATA_DIR` (PGlite is single-process, so two services can never share one directory; in
 * monolith every agent runs inside the gateway and shares the gateway's).
 */
export function databaseTargetFor(config: AetherConfig, service: string): DatabaseTarget {
  if (config.database.url) return { kind: 'postgres', url: config.database.url, schema: config.database.schema };
  const dataRoot = path.resolve(config.database.dataDir);
  return { kind: 'pglite', dataDir: path.join(dataRoot, service, 'pglite'), templateFile: pgliteTemplatePath(dataRoot) };
}

/** The target for logs: never the password of a DATABASE_URL. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return target.dataDir ? `embedded PGlite at ${target.dataDir}` : 'in-memory PGlite';
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return `PostgreSQL ${url.toString()} (schema ${target.schema})`;
}
