import type { INestApplication } from '@nestjs/common';
import { CONVERSATION_ID_HEADER } from '../chat/chat-completions.service';

/** Response headers a browser client may read: the conversation id, rate limits and retry advice. */
const EXPOSED_HEADERS = [
  CONVERSATION_ID_HEADER,
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'Retry-After',
  'retry-after-ms',
  'x-should-retry',
];

/**
 * Lets the browser origins of `AETHER_CORS_ORIGINS` call the gateway (Nest's `enableCors`, the
 * `cors` package): preflights are answered before authentication, and answers — streams included —
 * carry `Access-Control-Allow-Origin` for a listed origin only. Without origins nothing is enabled,
 * so browsers keep refusing cross-origin calls. Call before any other middleware is mounted.
 */
export function enableGatewayCors(app: INestApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: [...origins],
    methods: ['GET', 'POST', 'DELETE'],
    // Unset: the request's Access-Control-Request-Headers are allowed (Authorization, X-API-Key, X-Aether-*).
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
