import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_NAME, ApiKeyNameError, ApiKeyStore, generateApiKey, hashApiKey, type ApiKeyRecord, type NewApiKey } from './api-key.store';

interface ApiKeyRow {
  id: string;
  name: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  requests_per_minute: number | null;
  max_concurrent: number | null;
}

const COLUMNS = 'id, name, created_at, revoked_at, last_used_at, requests_per_minute, max_concurrent';

/** `ApiKeyStore` over TypeORM; the key hash is written and matched, never read back. */
@Injectable()
export class TypeOrmApiKeyStore extends ApiKeyStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async create(input: NewApiKey): Promise<{ record: ApiKeyRecord; key: string }> {
    if (!API_KEY_NAME.test(input.name)) {
      throw new ApiKeyNameError(
        `invalid key name '${input.name}': use 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, not 'key-…'`,
      );
    }
    const key = generateApiKey();
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `INSERT INTO api_keys (id, name, key_hash, created_at, requests_per_minute, max_concurrent)
       VALUES ($1, $2, $3, now(), $4, $5)
       ON CONFLICT (name) DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), input.name, hashApiKey(key), input.requestsPerMinute ?? null, input.maxConcurrent ?? null],
    );
    if (rows.length === 0) throw new ApiKeyNameError(`a key named '${input.name}' already exists (names stay taken after a revoke)`);
    return { record: toRecord(rows[0]), key };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, name`);
    return rows.map(toRecord);
  }

  async revoke(name: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM reshapes the result of a bare UPDATE differently on pg and PGlite.
    const [{ revoked }]: { revoked: number }[] = await this.dataSource.query(
      `WITH done AS (UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING 1)
       SELECT count(*)::int AS revoked FROM done`,
      [name],
    );
    return revoked > 0;
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`, [keyHash]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async hasActiveKeys(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1`);
    return rows.length > 0;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `WITH done AS (UPDATE api_keys SET last_used_at = now() WHERE id = $1 RETURNING 1) SELECT count(*)::int AS touched FROM done`,
      [id],
    );
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at),
    revokedAt: date(row.revoked_at),
    lastUsedAt: date(row.last_used_at),
    requestsPerMinute: row.requests_per_minute,
    maxConcurrent: row.max_concurrent,
  };
}
