import { createHash, randomBytes } from 'node:crypto';

/** A named API key as stored: never the key itself. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** Own limits; null = the gateway's defaults. */
  requestsPerMinute: number | null;
  maxConcurrent: number | null;
}

export interface NewApiKey {
  name: string;
  requestsPerMinute?: number | null;
  maxConcurrent?: number | null;
}

/** Names are shown in logs and metric labels: short, plain, and never mistaken for a key label (`key-…`). */
export const API_KEY_NAME = /^(?!key-)[a-z0-9][a-z0-9._-]{0,62}$/;

/** Thrown for a name that is malformed or already taken. */
export class ApiKeyNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyNameError';
  }
}

/** Prefix of keys Aether issues, so a leaked one is recognisable (as `sk-` is for OpenAI's). */
const KEY_PREFIX = 'aek_';

/** A new random key: 256 bits, URL-safe. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored for a key: its hex sha256 (the gateway hashes presented keys the same way). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The gateway's named API keys (`npm run keys`); implemented over TypeORM. */
export abstract class ApiKeyStore {
  /** Creates a key; returns its record and the key, which is not stored and cannot be shown again. */
  abstract create(key: NewApiKey): Promise<{ record: ApiKeyRecord; key: string }>;
  /** Every key, revoked ones included, oldest first. */
  abstract list(): Promise<ApiKeyRecord[]>;
  /** Revokes the key of that name; false when there is no such active key. */
  abstract revoke(name: string): Promise<boolean>;
  /** The key with that hash, revoked or not; null when none. */
  abstract findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Whether any key is not revoked. */
  abstract hasActiveKeys(): Promise<boolean>;
  /** Records that the key was used now. */
  abstract touch(id: string): Promise<void>;
}
