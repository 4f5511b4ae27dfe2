import type { SendMessageRequest, StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { A2AError } from '@a2a-js/sdk/errors';
import { AgentError, truncate, type AgentErrorCode, type AgentName, type AgentRequest } from '@aether/core';
import { buildAgentCard } from '../protocol/agent-card.builder';
import { A2aAgentClient } from './a2a-agent.client';
import { createNodeHttpFetch } from './node-http-fetch';

/** One keep-alive connection pool per process for every agent client. */
const sharedFetch = createNodeHttpFetch();

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
}

/**
 * `AgentClient` over the official A2A SDK client (JSON-RPC binding, v1.0, SSE streaming). The
 * transport is built from the known service URL, so no call pays for fetching the agent card.
 */
export class HttpAgentClient extends A2aAgentClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private client?: Promise<Client>;

  constructor(private readonly options: HttpAgentClientOptions) {
    super(options.agent);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? sharedFetch;
  }

  protected async *open(params: SendMessageRequest, request: AgentRequest, signal: AbortSignal): AsyncIterable<StreamResponse> {
    const client = await this.sdkClient();
    const headers = this.authHeaders();
    if (request.context.traceparent) headers['traceparent'] = request.context.traceparent;
    yield* client.sendMessageStream(params, { signal, serviceParameters: headers });
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
    const cause = (error as { cause?: unknown } | null)?.cause;
    const a2aError = error instanceof A2AError ? error : cause instanceof A2AError ? cause : undefined;
    if (a2aError) {
      return new AgentError(codeForA2aError(a2aError), `The ${this.agent} agent rejected the call: ${a2aError.message}`, this.agent);
    }
    return this.unreachable(describe(error));
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
    try {
      response = await this.fetchImpl(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      throw this.unreachable(describe(error));
    }
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
      throw this.unreachable(`HTTP ${response.status}${body ? ` ${truncate(body.trim(), 200)}` : ''}`);
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
