import { WebSocket as NodeWebSocket } from 'ws';

/**
 * home-assistant-js-websocket opens sockets with the global `WebSocket` (it was written for the
 * browser). Node ≥ 22 has one built in; older runtimes (and some test environments) do not, so
 * install `ws`'s implementation — once, and only when the global is missing.
 */
export function ensureGlobalWebSocket(): void {
  const scope = globalThis as { WebSocket?: unknown };
  if (typeof scope.WebSocket === 'undefined') scope.WebSocket = NodeWebSocket;
}
