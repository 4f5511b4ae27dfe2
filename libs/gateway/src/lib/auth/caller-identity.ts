import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling, as established by `ApiKeyGuard`. Never contains the key itself. */
export interface CallerIdentity {
  /** Stable, non-secret label: `key-<first 8 hex of sha256(key)>`, or `anonymous` in open mode. */
  userId: string;
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
