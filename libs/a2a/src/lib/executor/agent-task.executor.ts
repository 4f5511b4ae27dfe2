import { TaskState } from '@a2a-js/sdk';
import { context as otelContext, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import {
  AgentEvent as A2aEvent,
  STATE_HEADERS_KEY,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { Logger } from '@nestjs/common';
import { AgentError, GEN_AI, inSpan, markSpanFailed, withLogContext, withModelUsageSink, type Agent, type AgentEvent, type ErrorEvent, type ProposalEvent, type TokenEvent, type UsageEvent } from '@aether/core';
import { encodeEventBatch, encodeInputRequired, encodeTerminalStatus, encodeTokenBatch, errorEventFrom } from '../protocol/agent-event.codec';
import { decodeAgentRequest } from '../protocol/agent-request.codec';
import type { FailureClassifier } from '../handlers/failure-classifier';
import { markNewTask } from './new-task-hint';
import type { AgentRunObserver } from './agent-run.metrics';

const CANCELLED = Symbol('cancelled');

/**
 * The SDK `AgentExecutor` for one domain `Agent`: runs it for each task and publishes its events
 * on the task's bus as they are produced, then the terminal status. Events produced in one tick go
 * out at the end of that tick, in order, as one artifact update per run of tokens (the `answer`
 * artifact) or of other events (the `events` artifact), a part each: no timer, no waiting for a
 * later event, so the first token is never held back, while a burst — tokens, or a nested agent's
 * events relayed from one read of its stream — costs the SDK, the task store and every hop one
 * event instead of one per token or event.
 */
export class AgentTaskExecutor implements AgentExecutor {
  private readonly logger = new Logger(AgentTaskExecutor.name);
  private readonly runs = new Map<string, TaskRun>();

  constructor(
    private readonly agent: Agent,
    private readonly failures?: FailureClassifier,
    private readonly observer?: AgentRunObserver,
  ) {}

  // Every line logged while the task runs names the agent and the conversation; every span made
  // while it runs is a child of its `invoke_agent` span.
  execute = (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const run = () =>
      withLogContext({ agent: this.agent.name, conversationId: request.contextId }, () =>
        inSpan(
          `invoke_agent ${this.agent.name}`,
          { attributes: { [GEN_AI.operation]: 'invoke_agent', [GEN_AI.agentName]: this.agent.name, 'aether.task.id': request.taskId } },
          (span) => this.executeTask(request, bus, span),
        ),
      );
    const caller = callerTraceContext(request);
    return caller === otelContext.active() ? run() : otelContext.with(caller, run);
  };

  private executeTask = async (context: RequestContext, bus: ExecutionEventBus, span: Span): Promise<void> => {
    const run = new TaskRun(this.agent, context.taskId, context.contextId, bus);
    this.runs.set(run.taskId, run);
    const started = performance.now();
    let outcome = 'ok';
    let events: AsyncIterator<AgentEvent> | undefined;
    // A task no store has seen yet (the SDK only loads one when the message names it).
    if (!context.task) markNewTask(context.context, run.taskId);
    try {
      // The SDK requires the Task to be the first event of the stream.
      bus.publish(
        A2aEvent.task({
          id: run.taskId,
          contextId: run.contextId,
          status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: new Date().toISOString() },
          artifacts: [],
          history: [context.userMessage],
          metadata: undefined,
        }),
      );
      const request = decodeAgentRequest(context.userMessage, run.contextId);
      // The caller's deadline: work nobody waits for any more is not started, and is stopped when it passes.
      run.expireAt(request.context.deadline);
      if (run.finished) return;
      events = this.agent.run(request, run.signal)[Symbol.asyncIterator]();
      const agentEvents = events;
      // The usage of every model call the agent makes in a step is published as its own event.
      const reportUsage = (event: UsageEvent) => run.publish(event);
      for (;;) {
        const next = await run.unlessCancelled(withModelUsageSink(reportUsage, () => agentEvents.next()));
        if (next === CANCELLED || next.done) break;
        const event = next.value;
        if (event.type === 'tool_end' && event.agent === this.agent.name) this.observer?.toolCalled(event.agent, event.tool, /^Error\b/.test(event.result) ? 'error' : 'ok');
        run.publish(event);
      }
      if (this.agent.pausesForApproval && run.awaitingApproval) {
        run.awaitInput(run.awaitingApproval);
        outcome = 'input_required';
      } else run.complete();
      this.logger.debug(`task ${run.taskId} finished`);
    } catch (error) {
      if (!run.finished) {
        const known = error instanceof AgentError ? error : this.failures?.classify(error, this.agent.name);
        if (!known) {
          this.logger.error(`The ${this.agent.name} agent failed task ${run.taskId}`, error instanceof Error ? error.stack : error);
        } else if (known !== error) {
          this.logger.warn(`The ${this.agent.name} agent failed task ${run.taskId}: ${known.message} (${error instanceof Error ? error.message : String(error)})`);
        }
        run.fail(errorEventFrom(known ?? error, this.agent.name));
      }
      outcome = error instanceof AgentError ? error.code : 'internal_error';
      markSpanFailed(span, error);
    } finally {
      this.observer?.runFinished(this.agent.name, (performance.now() - started) / 1000, run.cancelled ? 'cancelled' : outcome);
      run.clearDeadline();
      this.runs.delete(run.taskId);
      // After a cancel the agent's generator may still be mid-step; close it once that step ends.
      if (run.cancelled) events?.return?.().catch(() => undefined);
    }
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.runs.get(taskId);
    if (run) {
      run.cancel();
      return;
    }
    // Not running in this process any more: still settle the bus the SDK is waiting on.
    bus.publish(A2aEvent.statusUpdate(encodeTerminalStatus(taskId, '', { state: TaskState.TASK_STATE_CANCELED, error: cancelledEvent(this.agent) })));
  };
}

/**
 * The trace the task belongs to: the active one (in-process calls), else the one the caller's W3C
 * headers name (A2A over HTTP, which the HTTP instrumentation leaves to this span; read by the API's
 * propagator, a no-op while tracing is off).
 */
function callerTraceContext(request: RequestContext): Context {
  const active = otelContext.active();
  if (trace.getSpan(active)) return active;
  const headers = request.context.state.get(STATE_HEADERS_KEY) as Record<string, string | string[] | undefined> | undefined;
  return headers ? propagation.extract(active, headers) : active;
}

/** One execution of the agent for one task: its bus, abort signal and end state. */
class TaskRun {
  private readonly controller = new AbortController();
  private readonly cancellation: Promise<typeof CANCELLED>;
  private resolveCancellation!: (value: typeof CANCELLED) => void;
  private answerStarted = false;
  private eventsStarted = false;
  /** Events of this tick not published yet, in order. */
  private pending: AgentEvent[] = [];
  private deadlineTimer?: NodeJS.Timeout;
  /** A terminal status has been published; nothing more may be. */
  finished = false;
  /** The last proposal this run asked a person to approve. */
  awaitingApproval?: ProposalEvent;
  cancelled = false;

  constructor(
    private readonly agent: Agent,
    readonly taskId: string,
    readonly contextId: string,
    private readonly bus: ExecutionEventBus,
  ) {
    this.cancellation = new Promise((resolve) => (this.resolveCancellation = resolve));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Waits for the agent's next step, or stops waiting as soon as the task is cancelled. */
  unlessCancelled<T>(step: Promise<T>): Promise<T | typeof CANCELLED> {
    return Promise.race([step, this.cancellation]);
  }

  publish(event: AgentEvent): void {
    if (this.finished) return;
    if (event.type === 'approval_required') this.awaitingApproval = event;
    if (this.pending.length === 0) process.nextTick(this.flushPending);
    this.pending.push(event);
  }

  /** Publishes the events gathered in this tick, in order: one artifact update per run of tokens or of other events. */
  private readonly flushPending = (): void => {
    if (this.pending.length === 0 || this.finished) return;
    const events = this.pending;
    this.pending = [];
    let start = 0;
    for (let end = 1; end <= events.length; end++) {
      const isToken = events[start].type === 'token';
      if (end < events.length && (events[end].type === 'token') === isToken) continue;
      const run = events.slice(start, end);
      start = end;
      if (isToken) {
        const first = !this.answerStarted;
        this.answerStarted = true;
        this.bus.publish(A2aEvent.artifactUpdate(encodeTokenBatch(run as TokenEvent[], this.agent.name, this.taskId, this.contextId, first)));
      } else {
        const first = !this.eventsStarted;
        this.eventsStarted = true;
        this.bus.publish(A2aEvent.artifactUpdate(encodeEventBatch(run, this.taskId, this.contextId, first)));
      }
    }
  };

  complete(): void {
    if (this.finished) return;
    this.flushPending();
    this.finished = true;
    this.bus.publish(A2aEvent.statusUpdate(encodeTerminalStatus(this.taskId, this.contextId, { state: TaskState.TASK_STATE_COMPLETED })));
  }

  /** Ends the run waiting for the person's decision on `proposal`: a message on this task continues it, CancelTask drops it. */
  awaitInput(proposal: ProposalEvent): void {
    if (this.finished) return;
    this.flushPending();
    this.finished = true;
    this.bus.publish(A2aEvent.statusUpdate(encodeInputRequired(this.taskId, this.contextId, proposal)));
  }

  fail(error: ErrorEvent): void {
    if (this.finished) return;
    this.flushPending();
    this.finished = true;
    this.bus.publish(
      A2aEvent.statusUpdate(encodeTerminalStatus(this.taskId, this.contextId, { state: TaskState.TASK_STATE_FAILED, error })),
    );
  }

  /** Fails the task with a `timeout` at `deadline` (at once when it already passed). */
  expireAt(deadline: number | undefined): void {
    if (deadline === undefined) return;
    const left = deadline - Date.now();
    if (left <= 0) this.expire();
    else this.deadlineTimer = setTimeout(() => this.expire(), left);
  }

  clearDeadline(): void {
    clearTimeout(this.deadlineTimer);
  }

  private expire(): void {
    if (this.finished) return;
    this.flushPending();
    this.finished = true;
    this.cancelled = true;
    const error: ErrorEvent = {
      type: 'error',
      agent: this.agent.name,
      code: 'timeout',
      content: `The ${this.agent.name} agent stopped: the request's deadline passed`,
    };
    this.controller.abort(new AgentError('timeout', error.content, this.agent.name));
    this.resolveCancellation(CANCELLED);
    this.bus.publish(A2aEvent.statusUpdate(encodeTerminalStatus(this.taskId, this.contextId, { state: TaskState.TASK_STATE_FAILED, error })));
  }

  cancel(): void {
    if (this.finished) return;
    this.flushPending();
    this.finished = true;
    this.cancelled = true;
    const event = cancelledEvent(this.agent);
    this.controller.abort(new AgentError('cancelled', event.content, this.agent.name));
    this.resolveCancellation(CANCELLED);
    this.bus.publish(
      A2aEvent.statusUpdate(encodeTerminalStatus(this.taskId, this.contextId, { state: TaskState.TASK_STATE_CANCELED, error: event })),
    );
  }
}

function cancelledEvent(agent: Agent): ErrorEvent {
  return { type: 'error', agent: agent.name, code: 'cancelled', content: `The ${agent.name} agent's task was cancelled by its caller` };
}
