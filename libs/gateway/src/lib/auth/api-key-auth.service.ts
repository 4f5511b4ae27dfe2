import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { ApiKeyStore, type ApiKeyRecord } from '@aether/persistence';
import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OpenAiApiException } from '../errors/openai-error';
import type { CallerIdentity, KeyLimits } from './caller-identity';

export type AuthenticationResult =
  | { ok: true; caller: CallerIdentity }
  | { ok: false; reason: 'missing_key' | 'invalid_key' | 'revoked_key'; keyName?: string };

const ANONYMOUS: CallerIdentity = { userId: 'anonymous' };
/** Database lookups remembered at most (a flood of wrong keys must not grow memory). */
const MAX_CACHED_LOOKUPS = 10_000;
/** `last_used_at` is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The stable, non-secret label of an API key used as the caller's identity. */
export function apiKeyLabel(key: string): string {
  return `key-${sha256(key).toString('hex').slice(0, 8)}`;
}

interface CachedLookup {
  record: ApiKeyRecord | null;
  until: number;
}

/**
 * Checks gateway API keys. Keys arrive as `X-API-Key` or `Authorization: Bearer <key>` and are
 * known only by their sha256: the keys of `AETHER_API_KEYS` are hashed at start and kept in memory
 * (the environment stays their source of truth: nothing to clean up in the database when it
 * changes), named keys (`npm run keys`) are looked up by hash in the database and trusted for
 * `AETHER_API_KEY_CACHE_MS`, so a revoke takes effect without a restart. With no key anywhere the
 * gateway is open — allowed outside production only, and said loudly; it closes as soon as a named
 * key is created.
 */
@Injectable()
export class ApiKeyAuthService implements OnModuleInit {
  private readonly logger = new Logger('GatewayAuth');
  /** sha256 of each key: equal-length buffers for timingSafeEqual whatever the key lengths. */
  private readonly keyDigests: Buffer[];
  private readonly defaults: KeyLimits;
  private readonly cacheMs: number;
  private readonly lookups = new Map<string, CachedLookup>();
  private readonly touched = new Map<string, number>();
  /** Whether the database holds an active named key, as of `namedKeysCheckedAt`. */
  private namedKeys = false;
  private namedKeysCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    @Optional() private readonly store?: ApiKeyStore,
  ) {
    this.keyDigests = config.apiKeys.map(sha256);
    this.defaults = { requestsPerMinute: config.apiKeyLimits.requestsPerMinute, maxConcurrent: config.apiKeyLimits.maxConcurrent };
    this.cacheMs = config.apiKeyLimits.cacheMs;
  }

  /** True when no API key exists (none configured, no active named key) and every caller is let in as `anonymous`. */
  get open(): boolean {
    return this.keyDigests.length === 0 && !this.namedKeys;
  }

  async onModuleInit(): Promise<void> {
    // Named keys decide whether the gateway is open only when AETHER_API_KEYS has none.
    if (this.keyDigests.length === 0) await this.refreshNamedKeys();
    if (!this.open) return;
    if (this.config.nodeEnv === 'production') {
      throw new Error(
        'AETHER_API_KEYS is not set and the database holds no API key: refusing to start the gateway without API keys in production. ' +
          'Set AETHER_API_KEYS to a comma-separated list of keys, or create one with `npm run keys -- create <name>`.',
      );
    }
    this.logger.warn(
      '!!! AETHER_API_KEYS is not set and no API key was created: the gateway is OPEN — anyone who can reach it can chat with the agents. ' +
        'Set AETHER_API_KEYS or run `npm run keys -- create <name>` before exposing it (production refuses to start without a key). !!!',
    );
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthenticationResult> {
    if (this.keyDigests.length === 0 && this.store && Date.now() - this.namedKeysCheckedAt >= this.cacheMs) {
      // A database that does not answer keeps the last known state (an open gateway still answers
      // while its conversation store is down, as before named keys existed); retried after cacheMs.
      await this.refreshNamedKeys().catch((error: unknown) => {
        this.namedKeysCheckedAt = Date.now();
        this.logger.warn(`Could not check for named API keys (keeping auth ${this.open ? 'open' : 'closed'}): ${String(error)}`);
      });
    }
    if (this.open) return { ok: true, caller: ANONYMOUS };
    const key = presentedKey(headers);
    if (key === undefined) return { ok: false, reason: 'missing_key' };
    const digest = sha256(key);
    // Compare against every key without stopping early, so timing does not tell which one matched.
    let matched = false;
    for (const candidate of this.keyDigests) {
      matched = timingSafeEqual(candidate, digest) || matched;
    }
    if (matched) {
      const label = apiKeyLabel(key);
      return { ok: true, caller: { userId: label, keyName: label, limits: this.defaults } };
    }
    const record = this.store ? await this.storeCall(() => this.lookup(digest.toString('hex'))) : null;
    if (!record) return { ok: false, reason: 'invalid_key' };
    if (record.revokedAt) return { ok: false, reason: 'revoked_key', keyName: record.name };
    this.touch(record);
    return {
      ok: true,
      caller: {
        userId: `key:${record.name}`,
        keyName: record.name,
        limits: {
          requestsPerMinute: record.requestsPerMinute ?? this.defaults.requestsPerMinute,
          maxConcurrent: record.maxConcurrent ?? this.defaults.maxConcurrent,
        },
      },
    };
  }

  private async refreshNamedKeys(): Promise<void> {
    if (!this.store) return;
    const before = this.namedKeysCheckedAt === Number.NEGATIVE_INFINITY ? undefined : this.open;
    this.namedKeys = await this.store.hasActiveKeys();
    this.namedKeysCheckedAt = Date.now();
    if (before === true && !this.open) this.logger.log('A named API key was created: the gateway now requires API keys.');
    if (before === false && this.open) this.logger.warn('!!! The last API key was revoked: the gateway is OPEN again. !!!');
  }

  private async lookup(hash: string): Promise<ApiKeyRecord | null> {
    const now = Date.now();
    const cached = this.lookups.get(hash);
    if (cached && cached.until > now) return cached.record;
    const record = await (this.store as ApiKeyStore).findByHash(hash);
    if (this.cacheMs > 0) {
      this.lookups.delete(hash);
      if (this.lookups.size >= MAX_CACHED_LOOKUPS) this.lookups.delete(this.lookups.keys().next().value as string);
      this.lookups.set(hash, { record, until: now + this.cacheMs });
    }
    return record;
  }

  /** Records use of the key now and then, without holding up the request. */
  private touch(record: ApiKeyRecord): void {
    const now = Date.now();
    if ((this.touched.get(record.id) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(record.id, now);
    this.store?.touch(record.id).catch((error: unknown) => this.logger.warn(`Could not record the use of API key '${record.name}': ${String(error)}`));
  }

  /** A key store that does not answer is a 503 that says so, not a 500 or a wrongful 401. */
  private async storeCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.logger.error(`API key store failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new OpenAiApiException(503, {
        message: 'API keys cannot be checked right now (their database did not answer). Please retry shortly.',
        type: 'server_error',
        code: 'api_key_store_unavailable',
      });
    }
  }
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKeyHeader = headers['x-api-key'];
  const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
  if (apiKey?.trim()) return apiKey.trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return bearer?.[1].trim() || undefined;
}
