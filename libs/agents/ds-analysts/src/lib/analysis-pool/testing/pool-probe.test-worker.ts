// A worker for analysis-pool.spec.ts (not named *.worker.ts, so no app bundles it).
import { threadId } from 'node:worker_threads';

export function whereAmI(input: { echo: string }): { threadId: number; echo: string } {
  return { threadId, echo: input.echo };
}

export function fail(input: { message: string }): never {
  throw new Error(input.message);
}

/** Busy for `ms` of CPU, then reports its thread. */
export function spin(input: { ms: number }): { threadId: number } {
  const until = performance.now() + input.ms;
  while (performance.now() < until) {
    // burn CPU: this is the point of the task
  }
  return { threadId };
}
