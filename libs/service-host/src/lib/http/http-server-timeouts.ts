import type { Server } from 'node:http';
import type { ServerSettings } from '@aether/config';

/**
 * Applies the server timeouts to a service's HTTP server; call it before `listen`.
 *
 * - `headersTimeout` and `requestTimeout` bound how long a client may take to send a request (a
 *   client trickling headers or a body is answered 408 and cut off). They cover receiving the
 *   request only: a response, an SSE stream included, runs as long as it needs.
 * - `keepAliveTimeout` (65 s by default) stays above the 4 s after which the A2A clients' pools
 *   (`libs/a2a/src/lib/client/node-http-fetch.ts`) drop idle sockets, so the client always closes
 *   first and never sends on a socket the server is closing.
 */
export function applyServerTimeouts(server: Server, settings: ServerSettings): void {
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.requestTimeoutMs;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  // Node enforces the first two on a timer (every 30 s by default, read when the server starts
  // listening), so a 20 s timeout could fire after 50 s: check often enough to hold them to ~10 %.
  // (A public property Node reads at `listen`, missing from @types/node.)
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, Math.max(25, Math.floor(Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs) / 10)));
}
