import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a chat names: the agent at work and the conversation. */
export interface LogContext {
  agent?: string;
  conversationId?: string;
}

const scope = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` so that every log line it writes (directly or in anything it awaits) carries
 * `context`, on top of the context it runs in. The A2A executor wraps each agent task with it and
 * the gateway each chat, so no log call has to pass the ids along.
 */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  const outer = scope.getStore();
  return scope.run(outer ? { ...outer, ...context } : context, work);
}

/** The context of the work now running; undefined outside any. */
export function currentLogContext(): LogContext | undefined {
  return scope.getStore();
}
