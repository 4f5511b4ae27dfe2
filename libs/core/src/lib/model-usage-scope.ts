import { AsyncLocalStorage } from 'node:async_hooks';
import type { UsageEvent } from './agent-events';

/** Where the usage of the model calls made during an agent's step goes (the agent's event stream). */
export type ModelUsageSink = (event: UsageEvent) => void;

const scope = new AsyncLocalStorage<ModelUsageSink>();

/**
 * Runs `step` of an agent so that every model call it makes reports its usage to `sink`. The A2A
 * executor wraps each step of every agent with it, so usage is captured where all calls pass
 * (the model factory's callback) without each agent's loop forwarding it.
 */
export function withModelUsageSink<T>(sink: ModelUsageSink, step: () => T): T {
  return scope.run(sink, step);
}

/** Reports one model call's usage to the agent step it belongs to; dropped outside any agent run. */
export function reportModelUsage(event: UsageEvent): void {
  scope.getStore()?.(event);
}
