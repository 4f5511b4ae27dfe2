import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** A key's limits; 0 = no limit. */
export interface KeyLimits {
  requestsPerMinute: number;
  maxConcurrent: number;
}

/** Who is calling, as established by `ApiKeyGuard`. Never contains the key itself. */
export interface CallerIdentity {
  /**
   * Stable, non-secret owner of the caller's conversations: `key-<first 8 hex of sha256(key)>` for
   * a key of `AETHER_API_KEYS`, `key:<name>` for a named key of the database, `anonymous` in open mode.
   */
  userId: string;
  /** The key's name, for limits, logs and metric labels (an `AETHER_API_KEYS` key is named by its label); unset in open mode. */
  keyName?: string;
  /** The limits that apply to the key; unset in open mode. */
  limits?: KeyLimits;
}

const CALLER = Symbol('aether.caller');

type RequestWithCaller = Request & { [CALLER]?: CallerIdentity };

export function setCaller(request: Request, caller: CallerIdentity): void {
  (request as RequestWithCaller)[CALLER] = caller;
}

export function getCaller(request: Request): CallerIdentity | undefined {
  return (request as RequestWithCaller)[CALLER];
}

/** Handler parameter: the identity `ApiKeyGuard` attached to the request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallerIdentity => {
  const caller = getCaller(context.switchToHttp().getRequest<Request>());
  // The guard runs before every handler that uses this decorator; reaching here without it is a wiring bug.
  if (!caller) throw new Error('Caller used on a route without ApiKeyGuard');
  return caller;
});
