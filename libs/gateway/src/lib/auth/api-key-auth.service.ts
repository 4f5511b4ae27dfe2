import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CallerIdentity } from './caller-identity';

export type AuthenticationResult =
  | { ok: true; caller: CallerIdentity }
  | { ok: false; reason: 'missing_key' | 'invalid_key' };

const ANONYMOUS: CallerIdentity = { userId: 'anonymous' };

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The stable, non-secret label of an API key used as the caller's identity. */
export function apiKeyLabel(key: string): string {
  return `key-${sha256(key).toString('hex').slice(0, 8)}`;
}

/**
 * Checks gateway API keys (`AETHER_API_KEYS`). Keys arrive as `X-API-Key` or
 * `Authorization: Bearer <key>` and are compared in constant time. Without keys the gateway is open
 * — allowed outside production only, and said loudly at start.
 */
@Injectable()
export class ApiKeyAuthService implements OnModuleInit {
  private readonly logger = new Logger('GatewayAuth');
  /** sha256 of each key: equal-length buffers for timingSafeEqual whatever the key lengths. */
  private readonly keyDigests: Buffer[];

  constructor(@Inject(AETHER_CONFIG) private readonly config: AetherConfig) {
    this.keyDigests = config.apiKeys.map(sha256);
  }

  /** True when no API keys are configured and every caller is let in as `anonymous`. */
  get open(): boolean {
    return this.keyDigests.length === 0;
  }

  onModuleInit(): void {
    if (!this.open) return;
    if (this.config.nodeEnv === 'production') {
      throw new Error(
        'AETHER_API_KEYS is not set: refusing to start the gateway without API keys in production. ' +
          'Set AETHER_API_KEYS to a comma-separated list of keys.',
      );
    }
    this.logger.warn(
      '!!! AETHER_API_KEYS is not set: the gateway is OPEN — anyone who can reach it can chat with the agents. ' +
        'Set AETHER_API_KEYS before exposing it (production refuses to start without it). !!!',
    );
  }

  authenticate(headers: IncomingHttpHeaders): AuthenticationResult {
    if (this.open) return { ok: true, caller: ANONYMOUS };
    const key = presentedKey(headers);
    if (key === undefined) return { ok: false, reason: 'missing_key' };
    const digest = sha256(key);
    // Compare against every key without stopping early, so timing does not tell which one matched.
    let matched = false;
    for (const candidate of this.keyDigests) {
      matched = timingSafeEqual(candidate, digest) || matched;
    }
    return matched ? { ok: true, caller: { userId: apiKeyLabel(key) } } : { ok: false, reason: 'invalid_key' };
  }
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKeyHeader = headers['x-api-key'];
  const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
  if (apiKey?.trim()) return apiKey.trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return bearer?.[1].trim() || undefined;
}
