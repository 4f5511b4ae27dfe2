/** Test helpers for calls between agents (import from `@aether/a2a/testing`). */
export { startFaultProxy, type FaultProxy, type ConnectionFault } from './testing/fault-proxy';
