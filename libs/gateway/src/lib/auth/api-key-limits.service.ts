import { MetricsRegistry } from '@aether/observability';
import { Injectable, Optional } from '@nestjs/common';
import type { Response } from 'express';
import type { Counter, Gauge } from 'prom-client';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { OpenAiApiException } from '../errors/openai-error';
import type { CallerIdentity } from './caller-identity';

type Outcome = 'accepted' | 'rate_limited' | 'concurrency_limited' | 'revoked';

/**
 * Per-key request rate and concurrency limits (`rate-limiter-flexible`, in memory: the gateway is
 * one process). Every admitted response carries OpenAI's `x-ratelimit-*-requests` headers; a refused
 * one is a 429 with `Retry-After`. Usage per key name (never the key) is in Prometheus:
 * `aether_api_key_requests_total{key,outcome}`, `aether_api_key_requests_in_flight{key}`,
 * `aether_api_key_requests_remaining{key}` and `aether_api_key_requests_per_minute_limit{key}`.
 */
@Injectable()
export class ApiKeyLimits {
  /** One limiter per distinct limit value (a key may set its own). */
  private readonly rateLimiters = new Map<number, RateLimiterMemory>();
  private readonly concurrencyLimiters = new Map<number, RateLimiterMemory>();
  private readonly requests?: Counter<'key' | 'outcome'>;
  private readonly inFlight?: Gauge<'key'>;
  private readonly remaining?: Gauge<'key'>;
  private readonly limit?: Gauge<'key'>;

  constructor(@Optional() registry?: MetricsRegistry) {
    this.requests = registry?.counter('aether_api_key_requests_total', 'Gateway requests by API key name and outcome (accepted, rate_limited, concurrency_limited, revoked)', ['key', 'outcome']);
    this.inFlight = registry?.gauge('aether_api_key_requests_in_flight', 'Requests of each API key being handled now', ['key']);
    this.remaining = registry?.gauge('aether_api_key_requests_remaining', 'Requests each API key may still make in its current minute', ['key']);
    this.limit = registry?.gauge('aether_api_key_requests_per_minute_limit', 'Request rate limit of each API key (0 = none)', ['key']);
  }

  /**
   * Admits one request of the caller, or throws a 429. An admitted request holds one of the key's
   * concurrent slots until its response closes (streams included).
   */
  async admit(caller: CallerIdentity, response: Response): Promise<void> {
    const { keyName: key, limits } = caller;
    if (!key || !limits) return; // open mode: no key to count against
    let release: (() => void) | undefined;
    if (limits.maxConcurrent > 0) {
      const slots = limiterFor(this.concurrencyLimiters, limits.maxConcurrent, 0, 'concurrent');
      try {
        await slots.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // A refused attempt still counted itself: it holds no slot, so give it back.
        await slots.reward(key, 1);
        this.count(key, 'concurrency_limited');
        response.setHeader('Retry-After', '1');
        throw new OpenAiApiException(429, {
          message: `Too many concurrent requests for API key '${key}': at most ${limits.maxConcurrent} at a time. Retry when one has finished.`,
          type: 'rate_limit_error',
          code: 'concurrent_requests_exceeded',
        });
      }
      this.inFlight?.inc({ key });
      let released = false;
      release = () => {
        if (released) return;
        released = true;
        this.inFlight?.dec({ key });
        void slots.reward(key, 1);
      };
      response.once('close', release);
    }

    this.limit?.set({ key }, limits.requestsPerMinute);
    if (limits.requestsPerMinute > 0) {
      const perMinute = limiterFor(this.rateLimiters, limits.requestsPerMinute, 60, 'rate');
      try {
        const state = await perMinute.consume(key);
        this.rateHeaders(response, key, limits.requestsPerMinute, state);
      } catch (rejection) {
        release?.();
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        this.rateHeaders(response, key, limits.requestsPerMinute, rejection);
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        response.setHeader('Retry-After', String(retryAfter));
        this.count(key, 'rate_limited');
        throw new OpenAiApiException(429, {
          message: `Rate limit reached for API key '${key}': ${limits.requestsPerMinute} requests per minute. Retry after ${retryAfter} s.`,
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
        });
      }
    }
    this.count(key, 'accepted');
  }

  /** Counts a refused revoked key under its name. */
  revoked(key: string): void {
    this.count(key, 'revoked');
  }

  private count(key: string, outcome: Outcome): void {
    this.requests?.inc({ key, outcome });
  }

  private rateHeaders(response: Response, key: string, limit: number, state: RateLimiterRes): void {
    response.setHeader('x-ratelimit-limit-requests', String(limit));
    response.setHeader('x-ratelimit-remaining-requests', String(state.remainingPoints));
    response.setHeader('x-ratelimit-reset-requests', resetDuration(state.msBeforeNext));
    this.remaining?.set({ key }, state.remainingPoints);
  }
}

function limiterFor(limiters: Map<number, RateLimiterMemory>, points: number, duration: number, kind: string): RateLimiterMemory {
  let limiter = limiters.get(points);
  if (!limiter) {
    // duration 0: consumed points never expire on their own; a finished request gives its slot back.
    limiter = new RateLimiterMemory({ points, duration, keyPrefix: `${kind}-${points}` });
    limiters.set(points, limiter);
  }
  return limiter;
}

/** Time until the window resets, written as OpenAI writes it (`20ms`, `1.5s`, `6m0s`). */
export function resetDuration(ms: number): string {
  const milliseconds = Math.max(0, Math.ceil(ms));
  if (milliseconds < 1000) return `${milliseconds}ms`;
  if (milliseconds < 60_000) return `${Number((milliseconds / 1000).toFixed(3))}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes}m${Math.round((milliseconds - minutes * 60_000) / 1000)}s`;
}
