import type { Task } from '@a2a-js/sdk';

/**
 * A copy of a task that its holder may change the way the A2A SDK does, without the cost of a deep
 * clone. The SDK's ResultManager loads and saves the whole task on every streamed token (an
 * artifact update), and its own stores `structuredClone` it both ways: quadratic in the answer's
 * length (600 tokens → ~700k part clones per hop). The SDK replaces what it changes — `status`,
 * `history`, `metadata`, an artifact's `parts` — and assigns an artifact's fields in place, so the
 * task, its arrays and its artifacts are copied and the leaves (parts, messages, status) shared.
 */
export function copyTask(task: Task): Task {
  return {
    ...task,
    history: task.history && [...task.history],
    artifacts: task.artifacts && task.artifacts.map((artifact) => ({ ...artifact })),
  };
}
