import type { TaskStore } from '@a2a-js/sdk/server';
import type { AgentError, AgentName } from '@aether/core';

/**
 * Recognises failures of a host's own dependencies (its database) among the errors thrown by an
 * agent or by its task store, so that they cross every hop with their own code
 * (`storage_unavailable`) instead of arriving as `internal_error`. The persistence module provides
 * one; a host without it translates nothing.
 */
export abstract class FailureClassifier {
  /** The `AgentError` that `error` stands for, or undefined when this classifier does not know it. */
  abstract classify(error: unknown, agent: AgentName): AgentError | undefined;
}

/** `store`, with every failure the classifier recognises rethrown as its `AgentError`. */
export function classifyingTaskStore(store: TaskStore, agent: AgentName, classifier: FailureClassifier): TaskStore {
  const translate = (error: unknown): never => {
    throw classifier.classify(error, agent) ?? error;
  };
  return {
    save: (task, context) => store.save(task, context).catch(translate),
    load: (taskId, context) => store.load(taskId, context).catch(translate),
    list: (params, context) => store.list(params, context).catch(translate),
  };
}
