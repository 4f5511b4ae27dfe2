import { FailureClassifier } from '@aether/a2a';
import { AgentError, type AgentName } from '@aether/core';
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

/**
 * The persistence module's `FailureClassifier`: a database failure inside an agent or its task
 * store becomes `storage_unavailable`, so callers across any hop report the database, not a broken
 * agent, and the gateway answers 503 (retry later) with the user's question kept.
 */
export class StorageFailureClassifier extends FailureClassifier {
  classify(error: unknown, agent: AgentName): AgentError | undefined {
    if (!isStorageError(error)) return undefined;
    return new AgentError('storage_unavailable', `The ${agent} agent's database did not answer; please retry shortly`, agent);
  }
}
