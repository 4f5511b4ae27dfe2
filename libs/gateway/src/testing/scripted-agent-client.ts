import {
  AgentError,
  type AgentCallOptions,
  type AgentCallResult,
  type AgentClient,
  type AgentEvent,
  type AgentName,
  type AgentRequest,
} from '@aether/core';

/** What a scripted agent does for one call: yield events, wait on test-controlled promises, throw. */
export type AgentScript = (request: AgentRequest, signal: AbortSignal) => AsyncIterable<AgentEvent>;

export interface RecordedCall {
  request: AgentRequest;
  signal: AbortSignal;
  mode: 'stream' | 'send';
}

/** Test double of an `AgentClient` that plays a script and records every call it gets. */
export class ScriptedAgentClient implements AgentClient {
  readonly calls: RecordedCall[] = [];

  constructor(
    readonly agent: AgentName,
    public script: AgentScript = noScript(agent),
  ) {}

  async *stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    const signal = options?.signal ?? new AbortController().signal;
    this.calls.push({ request, signal, mode: 'stream' });
    yield* this.script(request, signal);
  }

  async send(request: AgentRequest, options?: AgentCallOptions): Promise<AgentCallResult> {
    const signal = options?.signal ?? new AbortController().signal;
    this.calls.push({ request, signal, mode: 'send' });
    const result: AgentCallResult = { text: '', data: {}, events: [], taskId: `task-${this.calls.length}` };
    for await (const event of this.script(request, signal)) {
      if (event.type === 'token') result.text += event.content;
      else {
        result.events.push(event);
        if (event.type === 'result') Object.assign(result.data, event.data);
      }
    }
    return result;
  }
}

function noScript(agent: AgentName): AgentScript {
  return failWith(new AgentError('internal_error', `no script given to the fake ${agent} agent`, agent));
}

/** A script that fails before producing any event. */
export function failWith(error: unknown): AgentScript {
  return () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) });
}

/** A script that yields `events` in order. */
export function scriptOf(...events: AgentEvent[]): AgentScript {
  return async function* () {
    yield* events;
  };
}
