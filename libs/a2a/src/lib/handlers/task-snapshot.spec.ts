import { TaskState, type Task } from '@a2a-js/sdk';
import { copyTask } from './task-snapshot';

function runningTask(): Task {
  return {
    id: 'task-1',
    contextId: 'context-1',
    status: { state: TaskState.TASK_STATE_WORKING, timestamp: '2026-12-04T10:00:00.000Z' },
    history: [{ messageId: 'm1', role: 1, parts: [{ text: 'What lights are on?' }], contextId: 'context-1', taskId: 'task-1' }],
    artifacts: [{ artifactId: 'answer', name: 'answer', parts: [{ text: 'No lights ' }] }],
    metadata: { agent: 'orchestrator' },
  } as unknown as Task;
}

describe('copyTask', () => {
  it('keeps the original as it was when the copy is changed the way the A2A SDK changes a loaded task', () => {
    const stored = runningTask();
    const before = structuredClone(stored);
    const loaded = copyTask(stored);

    // ResultManager.applyArtifactUpdate (append), applyStatusUpdate, _applyHistoryLengthSemantics.
    const artifact = loaded.artifacts[0];
    artifact.parts = [...artifact.parts, { text: 'are on.' } as unknown as (typeof artifact.parts)[number]];
    artifact.description = 'the answer';
    loaded.artifacts.push({ artifactId: 'second', parts: [] } as unknown as (typeof loaded.artifacts)[number]);
    loaded.status = { state: TaskState.TASK_STATE_COMPLETED, timestamp: '2026-12-04T10:00:01.000Z' } as Task['status'];
    loaded.history = loaded.history.slice(-0);
    loaded.history.push({ messageId: 'm2' } as Task['history'][number]);
    loaded.metadata = { ...loaded.metadata, done: true };

    expect(stored).toEqual(before);
  });

  it('shares the leaves instead of cloning them, so a copy costs the number of artifacts and messages, not their size', () => {
    const stored = runningTask();
    const loaded = copyTask(stored);
    expect(loaded).toEqual(stored);
    expect(loaded.artifacts[0]).not.toBe(stored.artifacts[0]);
    expect(loaded.artifacts[0].parts[0]).toBe(stored.artifacts[0].parts[0]);
    expect(loaded.history[0]).toBe(stored.history[0]);
  });
});
