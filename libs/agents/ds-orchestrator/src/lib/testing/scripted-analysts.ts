import type { AgentCallOptions, AgentCallResult, AgentClient, AgentEvent, AgentRequest } from '@aether/core';

export type AnalystScript = (request: AgentRequest, signal: AbortSignal | undefined) => AsyncGenerator<AgentEvent>;

/** An `AgentClient` for ds-analysts whose answers are scripted per specialist (tests). */
export class ScriptedAnalysts implements AgentClient {
  readonly agent = 'ds-analysts' as const;
  readonly requests: AgentRequest[] = [];
  readonly signals = new Map<string, AbortSignal | undefined>();
  constructor(private readonly scripts: Record<string, AnalystScript>) {}

  stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    this.requests.push(request);
    const specialist = String(request.data?.['specialist']);
    this.signals.set(specialist, options?.signal);
    return this.scripts[specialist](request, options?.signal);
  }
  send(): Promise<AgentCallResult> {
    throw new Error('the DS orchestrator must stream, not send');
  }
}
