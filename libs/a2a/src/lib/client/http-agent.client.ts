import type { SendMessageRequest, StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { A2AError } from '@a2a-js/sdk/errors';
import { AgentError, truncate, type AgentErrorCode, type AgentName, type AgentRequest } from '@aether/core';
import { context, propagation } from '@opentelemetry/api';
import { DUPLICATE_MESSAGE_REASON, STORAGE_UNAVAILABLE_REASON } from '../protocol/a2a-wire';
import { buildAgentCard } from '../protocol/agent-card.builder';
import { A2aAgentClient } from './a2a-agent.client';
import { AgentCallPolicy, TransportFailure, type AgentCallObserver } from './agent-call-policy';
import { createNodeHttpFetch, NODE_HTTP_REQUEST_OPTIONS, type NodeHttpRequestOptions } from './node-http-fetch';

/** One keep-alive connection pool per process for every agent client (per connect timeout). */
const sharedFetches = new Map<number, typeof fetch>();
function sharedFetch(connectTimeoutMs: number): typeof fetch {
  let shared = sharedFetches.get(connectTimeoutMs);
  if (!shared) sharedFetches.set(connectTimeoutMs, (shared = createNodeHttpFetch({ connectTimeoutMs })));
  return shared;
}

/** How calls to one agent service are bounded, retried and broken (defaults: `libs/config`'s). */
export interface HttpAgentCallLimits {
  /** Time a TCP connection may take (default 3 000 ms). */
  connectTimeoutMs?: number;
  /** Time the service may send nothing — no event, no SSE heartbeat — while the call runs (default 30 000 ms). */
  idleTimeoutMs?: number;
  /** Base delay of the one retry before the first event (default 100 ms). */
  retryBackoffMs?: number;
  /** Consecutive transport failures that open the breaker (default 5). */
  breakerFailures?: number;
  /** Time an open breaker fails fast (default 10 000 ms). */
  breakerHalfOpenAfterMs?: number;
  observer?: AgentCallObserver;
}

export interface HttpAgentClientOptions {
  agent: AgentName;
  /** The agent service's base URL (its `*_SERVICE_URL`); JSON-RPC is at its root. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` (`AETHER_SERVICE_TOKEN`). */
  serviceToken?: string;
  /** Time allowed for a best-effort `CancelTask`. */
  cancelTimeoutMs?: number;
  /** Defaults to a keep-alive `node:http` fetch (see `createNodeHttpFetch`), cheaper per hop than the global one. */
  fetch?: typeof fetch;
  limits?: HttpAgentCallLimits;
}

/** Per-attempt transport hooks, found by the attempt's signal (the SDK hands our signal to fetch unchanged). */
const attemptHooks = new WeakMap<AbortSignal, NodeHttpRequestOptions>();

/** Socket errors that mean "the connection broke" rather than "nobody is there". */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNECTTIMEOUT', 'EADDRNOTAVAIL']);
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * One attempt of a call: its own abort signal (linked to the call's) and the idle watchdog, which
 * aborts the attempt when the service sends nothing for `idleTimeoutMs`. Any byte counts — events
 * and the SSE heartbeats a busy service sends while it works silently — so a hung or stopped
 * process is told apart from a live one doing a long analysis, and the error names the agent that
 * hung rather than every agent waiting above it.
 */
class CallAttempt {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  timedOut = false;

  constructor(
    private readonly callSignal: AbortSignal,
    private readonly idleTimeoutMs: number,
    freshConnection: boolean,
  ) {
    callSignal.addEventListener('abort', this.onCallAbort, { once: true });
    this.timer = setTimeout(this.onIdle, idleTimeoutMs);
    attemptHooks.set(this.controller.signal, { freshConnection, onData: this.touch });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  readonly touch = (): void => {
    this.timer.refresh();
  };

  dispose(): void {
    clearTimeout(this.timer);
    this.callSignal.removeEventListener('abort', this.onCallAbort);
  }

  private readonly onIdle = (): void => {
    this.timedOut = true;
    this.controller.abort(new Error(`idle for ${this.idleTimeoutMs} ms`));
  };

  private readonly onCallAbort = (): void => {
    clearTimeout(this.timer);
    this.controller.abort(this.callSignal.reason);
  };
}

/**
 * `AgentClient` over the official A2A SDK client (JSON-RPC binding, v1.0, SSE streaming). The
 * transport is built from the known service URL, so no call pays for fetching the agent card.
 */
export class HttpAgentClient extends A2aAgentClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private client?: Promise<Client>;
  private readonly idleTimeoutMs: number;
  readonly policy: AgentCallPolicy;

  constructor(private readonly options: HttpAgentClientOptions) {
    super(options.agent);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const limits = options.limits ?? {};
    this.fetchImpl = options.fetch ?? sharedFetch(limits.connectTimeoutMs ?? 3_000);
    this.idleTimeoutMs = limits.idleTimeoutMs ?? 30_000;
    this.policy = new AgentCallPolicy({
      agent: options.agent,
      retryBackoffMs: limits.retryBackoffMs ?? 100,
      breakerFailures: limits.breakerFailures ?? 5,
      breakerHalfOpenAfterMs: limits.breakerHalfOpenAfterMs ?? 10_000,
      observer: limits.observer,
    });
  }

  /**
   * Opens the stream under the call policy: until the first event a broken connection is retried
   * once on a fresh connection (same message, same `messageId`) and the breaker is consulted;
   * after it, a broken or silent connection is an error, never a second run.
   */
  protected async *open(params: SendMessageRequest, request: AgentRequest, signal: AbortSignal): AsyncIterable<StreamResponse> {
    const client = await this.sdkClient();
    const headers = this.authHeaders();
    // The caller's trace context (W3C traceparent and baggage; nothing when tracing is off).
    propagation.inject(context.active(), headers);
    const started = await this.policy.untilFirstEvent(async (attemptNo) => {
      const attempt = new CallAttempt(signal, this.idleTimeoutMs, attemptNo > 0);
      const iterator = client.sendMessageStream(params, { signal: attempt.signal, serviceParameters: headers })[Symbol.asyncIterator]();
      try {
        return { attempt, iterator, first: await iterator.next() };
      } catch (error) {
        attempt.dispose();
        throw this.classify(error, attempt, signal, attemptNo > 0);
      }
    }, signal);
    const { attempt, iterator } = started;
    try {
      let next = started.first;
      while (!next.done) {
        yield next.value;
        try {
          next = await iterator.next();
        } catch (error) {
          const failure = this.classify(error, attempt, signal, false);
          if (!(failure instanceof TransportFailure)) throw failure;
          this.policy.recordFailureAfterStart(failure);
          throw this.afterStart(failure);
        }
      }
    } finally {
      attempt.dispose();
      void iterator.return?.(undefined)?.catch(() => undefined);
    }
  }

  protected async cancelTask(taskId: string): Promise<void> {
    try {
      const client = await this.sdkClient();
      await client.cancelTask(
        { id: taskId, tenant: '', metadata: undefined },
        { signal: AbortSignal.timeout(this.options.cancelTimeoutMs ?? 2_000), serviceParameters: this.authHeaders() },
      );
    } catch {
      // Best effort: the service also cancels a task whose stream is closed.
    }
  }

  protected transportError(error: unknown): AgentError {
    if (error instanceof TransportFailure) return this.beforeStart(error);
    const cause = (error as { cause?: unknown } | null)?.cause;
    const a2aError = error instanceof A2AError ? error : cause instanceof A2AError ? cause : undefined;
    if (a2aError) {
      const storageFailure = storageFailureMessage(a2aError.message);
      if (storageFailure) return new AgentError('storage_unavailable', storageFailure, this.agent);
      return new AgentError(codeForA2aError(a2aError), `The ${this.agent} agent rejected the call: ${a2aError.message}`, this.agent);
    }
    return this.unreachable(describe(error));
  }

  /** What went wrong with an attempt, as a `TransportFailure` when it was the connection. */
  private classify(error: unknown, attempt: CallAttempt, callSignal: AbortSignal, isRetry: boolean): unknown {
    if (callSignal.aborted) return error;
    if (attempt.timedOut) {
      return new TransportFailure('timeout', `The ${this.agent} agent sent nothing for ${this.idleTimeoutMs} ms (idle timeout)`);
    }
    if (error instanceof TransportFailure || error instanceof AgentError) return error;
    if (isRetry && duplicateMessageRefusal(error)) {
      // The first attempt reached the service, which refused to run the same message twice.
      return new AgentError(
        'connection_reset',
        `The connection to the ${this.agent} agent broke after the agent received the call; it was not run a second time`,
        this.agent,
      );
    }
    const code = errorCode(error);
    if (code && RESET_CODES.has(code)) return new TransportFailure('reset', `the connection was reset (${describe(error)})`);
    if (code && UNREACHABLE_CODES.has(code)) return new TransportFailure('unreachable', describe(error));
    if (/other side closed|socket hang up|aborted|terminated/i.test(describe(error))) {
      return new TransportFailure('reset', `the connection was closed (${describe(error)})`);
    }
    return error;
  }

  private beforeStart(failure: TransportFailure): AgentError {
    switch (failure.kind) {
      case 'timeout':
        return new AgentError('timeout', failure.message, this.agent);
      case 'reset':
        return new AgentError('connection_reset', `The connection to the ${this.agent} agent service at ${this.baseUrl} was reset before the call started: ${failure.message}`, this.agent);
      default:
        return this.unreachable(failure.message);
    }
  }

  private afterStart(failure: TransportFailure): AgentError {
    if (failure.kind === 'timeout') return new AgentError('timeout', failure.message, this.agent);
    return new AgentError(
      'connection_reset',
      `The connection to the ${this.agent} agent broke after its task started (${failure.message}); not retried, as the task may have run`,
      this.agent,
    );
  }

  private sdkClient(): Promise<Client> {
    this.client ??= new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: this.checkedFetch })],
    }).createFromAgentCard(
      buildAgentCard(
        { name: this.agent, description: `The ${this.agent} agent`, skills: [] },
        { url: this.baseUrl, requiresServiceToken: this.options.serviceToken !== undefined },
      ),
    );
    return this.client;
  }

  private authHeaders(): Record<string, string> {
    return this.options.serviceToken ? { Authorization: `Bearer ${this.options.serviceToken}` } : {};
  }

  /** `fetch` that turns "no usable service at that URL" into `agent_unavailable` before the SDK sees it. */
  private readonly checkedFetch: typeof fetch = async (input, init) => {
    let response: Response;
    const hooks = init?.signal ? attemptHooks.get(init.signal) : undefined;
    try {
      const withHooks: RequestInit & { [NODE_HTTP_REQUEST_OPTIONS]?: NodeHttpRequestOptions } = hooks ? { ...init, [NODE_HTTP_REQUEST_OPTIONS]: hooks } : (init ?? {});
      response = await this.fetchImpl(input, withHooks);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const code = errorCode(error);
      throw new TransportFailure(code && RESET_CODES.has(code) ? 'reset' : 'unreachable', describe(error));
    }
    hooks?.onData?.();
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new AgentError(
        'agent_unavailable',
        `The ${this.agent} agent service at ${this.baseUrl} rejected the service token (check AETHER_SERVICE_TOKEN)`,
        this.agent,
      );
    }
    if (response.status >= 500) {
      const body = await response.text().catch(() => '');
      const storageFailure = storageFailureMessage(jsonRpcErrorMessage(body) ?? '');
      if (storageFailure) throw new AgentError('storage_unavailable', storageFailure, this.agent);
      const reason = `HTTP ${response.status}${body ? ` ${truncate(body.trim(), 200)}` : ''}`;
      // 502/503/504: the service (or a proxy before it) did not take the call — it is draining for
      // shutdown, restarting or down. A connection failure like any other: retried once on a fresh
      // connection and counted by the breaker. A 500 is the service failing at the work: neither.
      if (UNAVAILABLE_STATUSES.has(response.status)) throw new TransportFailure('unreachable', reason);
      throw this.unreachable(reason);
    }
    return response;
  };

  private unreachable(reason: string): AgentError {
    return new AgentError('agent_unavailable', `The ${this.agent} agent service at ${this.baseUrl} is unreachable: ${reason}`, this.agent);
  }
}

function codeForA2aError(error: A2AError): AgentErrorCode {
  switch (error.name) {
    case 'RequestMalformedError':
    case 'ContentTypeNotSupportedError':
    case 'TaskNotFoundError':
    case 'TaskNotCancelableError':
      return 'invalid_input';
    case 'UnsupportedOperationError':
    case 'PushNotificationNotSupportedError':
    case 'ExtendedAgentCardNotConfiguredError':
    case 'ExtensionSupportRequiredError':
      return 'not_implemented';
    case 'VersionNotSupportedError':
    case 'InvalidAgentResponseError':
      return 'agent_unavailable';
    default:
      return 'internal_error';
  }
}

/** The Node error code of `error` or of its cause (undici wraps socket errors in "fetch failed"). */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The service's own words when it reported its database down (see `STORAGE_UNAVAILABLE_REASON`). */
function storageFailureMessage(message: string): string | undefined {
  const prefix = `${STORAGE_UNAVAILABLE_REASON}: `;
  const marker = message.indexOf(prefix);
  return marker === -1 ? undefined : message.slice(marker + prefix.length).trim() || undefined;
}

/** `error.message` of a JSON-RPC error body, if the body is one. */
function jsonRpcErrorMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } } | null)?.error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the service refused a message id it already ran (see `IdempotentRequestHandler`). */
function duplicateMessageRefusal(error: unknown): boolean {
  return describe(error).includes(DUPLICATE_MESSAGE_REASON);
}

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:8003)" rather than undici's bare "fetch failed". */
function describe(error: unknown): string {
  // Duck-typed: errors raised inside Node's own fetch may come from another realm than our `Error`.
  const message = messageOf(error) ?? String(error);
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  return cause && cause !== message ? `${message} (${cause})` : message;
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}
