import { Extensions, HTTP_EXTENSION_HEADER, SSE_HEADERS, formatSSEErrorEvent, formatSSEEvent } from '@a2a-js/sdk';
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server';
import { JsonRpcTransportHandler, validateVersion, type ServerCallContext } from '@a2a-js/sdk/server';
import { Controller, Inject, Logger, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { AgentError } from '@aether/core';
import { serviceCallContext } from '../handlers/service-caller';
import { A2A_V03, A2A_VERSION_HEADER, STORAGE_UNAVAILABLE_REASON } from '../protocol/a2a-wire';
import { STREAMING_METHODS, validateJsonRpcRequest } from './a2a-request.validation';
import { JSON_RPC_INTERNAL_ERROR, type JsonRpcErrorResponse } from './json-rpc-errors';
import { ServedAgent } from './served-agent';
import { ServiceTokenGuard } from './service-token.guard';

type JsonRpcEnvelope = { jsonrpc: string; id: string | number | null; result?: unknown; error?: unknown };
type TransportHandler = Pick<JsonRpcTransportHandler, 'handle'>;

const STARTS_TASK = new Set(['SendStreamingMessage', 'message/stream']);

/**
 * `POST /`: A2A JSON-RPC, v1.0 methods and (for callers sending no `A2A-Version`, i.e. v0.3 by
 * spec) the v0.3 methods, through the SDK's framework-agnostic transport handlers. Streaming
 * methods answer with SSE written straight to the socket, one frame per event (the executor already
 * makes the tokens of one tick one event); Node's `ServerResponse` corks the socket on a write and
 * uncorks it at the end of the tick, so the frames of one tick leave in one write and none waits
 * for a later one. A caller that disconnects mid-stream cancels its task.
 */
@Controller()
export class A2aJsonRpcController {
  private readonly logger = new Logger(A2aJsonRpcController.name);
  private v1?: TransportHandler;
  private legacy?: TransportHandler;

  constructor(
    private readonly served: ServedAgent,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  @Post()
  @UseGuards(ServiceTokenGuard)
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    const requestedVersion = req.header(A2A_VERSION_HEADER) || A2A_V03;
    const isLegacy = requestedVersion === A2A_V03;
    const validated = validateJsonRpcRequest(req.body, isLegacy);
    // Only an explicit Accept: text/event-stream counts (a bare */* is no request for a stream).
    const wantsStream =
      STREAMING_METHODS.has(String((req.body as Record<string, unknown> | undefined)?.['method'])) &&
      (req.header('accept') ?? '').toLowerCase().includes('text/event-stream');
    if (validated.kind === 'notification') {
      // JSON-RPC 2.0 §4.1: a notification gets no response, and A2A has no notification methods: nothing runs.
      res.status(204).end();
      return;
    }
    if (validated.kind === 'error') {
      this.answerError(res, validated.response, wantsStream);
      return;
    }
    const body = validated.body;
    const requestId = validated.id;
    try {
      const context = serviceCallContext({ requestedVersion, headers: req.headers });
      context.setRequestedExtensions(Extensions.parseServiceParameter(req.header(HTTP_EXTENSION_HEADER)));
      const requestHandler = this.served.agent.requestHandler;
      validateVersion(requestedVersion, this.served.card(), 'JSONRPC');
      const transport = isLegacy
        ? (this.legacy ??= new LegacyJsonRpcTransportHandler(requestHandler))
        : (this.v1 ??= new JsonRpcTransportHandler(requestHandler));
      const result = await transport.handle(body as Record<string, unknown>, context);
      if (context.activatedExtensions) res.setHeader(HTTP_EXTENSION_HEADER, [...context.activatedExtensions]);
      if (isAsyncIterable(result)) {
        await this.stream(res, result, {
          context,
          requestId,
          // Only the stream that started the task owns it; a resubscriber leaving must not cancel it.
          cancelOnDisconnect: STARTS_TASK.has(String(body?.['method'])),
          mapError: (error) => jsonRpcErrorOf(error, isLegacy),
        });
      } else {
        res.status(200).json(result);
      }
    } catch (error) {
      const mapped = jsonRpcErrorOf(error, isLegacy);
      const envelope = { jsonrpc: '2.0', id: requestId, error: mapped };
      if (error instanceof AgentError) this.logger.warn(`A2A request failed: ${error.message}`);
      else if (mapped.code === JSON_RPC_INTERNAL_ERROR) this.logger.error('A2A request failed', error instanceof Error ? error.stack : error);
      if (!res.headersSent && !wantsStream) res.status(mapped.code === JSON_RPC_INTERNAL_ERROR ? 500 : 200).json(envelope);
      else this.answerError(res, envelope as JsonRpcErrorResponse, wantsStream);
    }
  }

  /** A JSON-RPC error as JSON, or as one SSE error event when the caller asked for a stream. */
  private answerError(res: Response, envelope: JsonRpcErrorResponse, asStream: boolean): void {
    if (res.writableEnded) return;
    if (res.headersSent) {
      res.end(formatSSEErrorEvent(envelope));
    } else if (asStream) {
      res.writeHead(200, SSE_HEADERS);
      res.end(formatSSEErrorEvent(envelope));
    } else {
      res.status(200).json(envelope);
    }
  }

  private async stream(
    res: Response,
    events: AsyncGenerator<JsonRpcEnvelope, void, undefined>,
    call: { context: ServerCallContext; requestId: string | number | null; cancelOnDisconnect: boolean; mapError: (error: unknown) => unknown },
  ): Promise<void> {
    const iterator = events[Symbol.asyncIterator]();
    // An error before the first event (bad params, unknown task) propagates and becomes an
    // ordinary JSON-RPC error response: the SSE headers are only sent once there is an event.
    const first = await iterator.next();

    let taskId = first.done ? undefined : taskIdOf(first.value);
    let ended = false;
    let disconnected = false;
    const cancel = () => {
      if (!taskId || !call.cancelOnDisconnect) return;
      this.served.agent.requestHandler.cancelTask({ id: taskId, tenant: '', metadata: undefined }, call.context).catch(() => undefined);
    };
    res.on('close', () => {
      // Closed after we ended the response ourselves: not a disconnect.
      if (ended || res.writableFinished) return;
      disconnected = true;
      cancel();
    });

    // The headers go out together with the first event (one write, one packet): the first event is
    // already here, so nothing is held back.
    res.writeHead(200, SSE_HEADERS);
    let wrote = true;
    const writable = () => !disconnected && !res.writableEnded;
    const heartbeat = setInterval(() => {
      if (!wrote && writable()) res.write(': keep-alive\n\n');
      wrote = false;
    }, this.config.heartbeatMs);
    heartbeat.unref();

    try {
      let next = first;
      while (!next.done) {
        if (writable()) {
          // The terminal event closes the response in the same write, so the caller sees the end at once.
          if (isTerminal(next.value)) res.end(formatSSEEvent(next.value));
          else res.write(formatSSEEvent(next.value));
          wrote = true;
        }
        next = await iterator.next();
        if (!taskId && !next.done) {
          taskId = taskIdOf(next.value);
          if (disconnected) cancel();
        }
      }
    } catch (error) {
      if (error instanceof AgentError) this.logger.warn(`A2A stream failed: ${error.message}`);
      else this.logger.error('A2A stream failed', error instanceof Error ? error.stack : error);
      if (writable()) res.write(formatSSEErrorEvent({ jsonrpc: '2.0', id: call.requestId, error: call.mapError(error) }));
    } finally {
      clearInterval(heartbeat);
      ended = true;
      if (!res.writableEnded) res.end();
    }
  }
}

/**
 * The SDK's JSON-RPC error for `error`. A storage failure (the task store's database did not answer,
 * see `FailureClassifier`) stays an internal error, as JSON-RPC has no better code, but carries a
 * marker in its message so that the caller reports `storage_unavailable`, not a broken agent.
 */
function jsonRpcErrorOf(error: unknown, isLegacy: boolean): { code: number; message: string } {
  const mapped = (isLegacy ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError : JsonRpcTransportHandler.mapToJSONRPCError)(error);
  if (error instanceof AgentError && error.code === 'storage_unavailable') {
    return { ...mapped, code: JSON_RPC_INTERNAL_ERROR, message: `${STORAGE_UNAVAILABLE_REASON}: ${error.message}` };
  }
  return mapped;
}

function isAsyncIterable(value: unknown): value is AsyncGenerator<JsonRpcEnvelope, void, undefined> {
  return typeof (value as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function';
}

const TERMINAL_STATES = new Set(['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED']);
const LEGACY_TERMINAL_STATES = new Set(['completed', 'failed', 'canceled', 'rejected']);

/** Whether this stream result ends the task: nothing follows it on the stream. */
function isTerminal(envelope: JsonRpcEnvelope): boolean {
  const result = envelope.result as { statusUpdate?: { status?: { state?: string } }; kind?: string; status?: { state?: string } } | undefined;
  const v1State = result?.statusUpdate?.status?.state;
  if (v1State !== undefined) return TERMINAL_STATES.has(v1State);
  return result?.kind === 'status-update' && LEGACY_TERMINAL_STATES.has(result.status?.state ?? '');
}

/** The task id in a v1.0 (`{task}`, `{statusUpdate}`, `{artifactUpdate}`) or v0.3 (`kind`) stream result. */
function taskIdOf(envelope: JsonRpcEnvelope): string | undefined {
  const result = envelope.result as Record<string, Record<string, unknown> | undefined> | undefined;
  if (!result) return undefined;
  const id =
    result['task']?.['id'] ??
    result['statusUpdate']?.['taskId'] ??
    result['artifactUpdate']?.['taskId'] ??
    (result['kind'] === ('task' as unknown) ? result['id'] : (result['taskId'] as unknown));
  return typeof id === 'string' && id !== '' ? id : undefined;
}
