import { ServerCallContext, STATE_HEADERS_KEY, type RequestHeaders, type User } from '@a2a-js/sdk/server';
import { A2A_V1 } from '../protocol/a2a-wire';

/**
 * The principal of every A2A call between Aether processes: whoever holds the shared service
 * token. Tasks are scoped to it in the task store, whether the call came over HTTP or in-process,
 * so either path can read the other's tasks.
 */
export class AetherServiceCaller implements User {
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return 'aether-service';
  }
}

export const AETHER_SERVICE_CALLER: User = new AetherServiceCaller();

/** The SDK call context for an A2A request made by an Aether service. */
export function serviceCallContext(options: { requestedVersion?: string; headers?: RequestHeaders } = {}): ServerCallContext {
  return new ServerCallContext({
    user: AETHER_SERVICE_CALLER,
    requestedVersion: options.requestedVersion ?? A2A_V1,
    state: new Map<string, unknown>([[STATE_HEADERS_KEY, options.headers ?? {}]]),
  });
}
