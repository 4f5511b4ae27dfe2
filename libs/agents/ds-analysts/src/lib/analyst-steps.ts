import { AgentError, type AgentEvent } from '@aether/core';
import { HomeAssistantError } from '@aether/home-assistant';

/** Runs a Home Assistant call for an analyst: HA's failures become the analyst's `upstream_error`, in HA's words. */
export async function callHomeAssistant<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HomeAssistantError) throw new AgentError('upstream_error', error.message, 'ds-analysts');
    throw error;
  }
}

/** Stops an analysis whose caller went away, naming it ("the energy analysis"). */
export function throwIfAborted(signal: AbortSignal, analysis: string): void {
  if (signal.aborted) throw new AgentError('cancelled', `The ${analysis} was cancelled.`, 'ds-analysts');
}

/** A progress line of an analyst. */
export function status(content: string): AgentEvent {
  return { type: 'status', agent: 'ds-analysts', content };
}
