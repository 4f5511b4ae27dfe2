import { QueryFailedError, TypeORMError } from 'typeorm';

/** A PostgreSQL server error (node-postgres `DatabaseError`, PGlite's equivalent): SQLSTATE code and severity. */
function isPostgresError(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/**
 * True when `error` came from the database (a failed query, a lost or refused connection through
 * TypeORM, a PostgreSQL error), so callers can report "storage is unavailable" rather than blame
 * whatever else the request touched.
 */
export function isStorageError(error: unknown): boolean {
  return error instanceof QueryFailedError || error instanceof TypeORMError || isPostgresError(error);
}
