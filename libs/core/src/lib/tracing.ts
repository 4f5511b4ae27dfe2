import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { currentLogContext } from './log-context';

// Aether's spans, through the OpenTelemetry API only: with no SDK started (no exporter configured)
// every call here is a no-op. Names and attributes follow the OpenTelemetry GenAI conventions
// (`invoke_agent <agent>`, `chat <model>`, `execute_tool <tool>`).

// Looked up per span, not kept once: the registered provider may change (tests register their own).
const tracer = () => trace.getTracer('aether');

/** GenAI semantic-convention attribute names (kept here: the semconv package exports them only as incubating). */
export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  toolName: 'gen_ai.tool.name',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
} as const;

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a new span (the active one while it runs, so spans and calls it makes are its
 * children): the conversation of the work is set on it, a throw marks it failed, and it ends when
 * the work settles.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, withConversation(options), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markSpanFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs the steps of an agent's event stream inside a new span (active during each step, so what a
 * step calls is its child), ended when the stream ends, fails or is closed.
 */
export async function* inSpanSteps<T>(name: string, options: SpanOptions, steps: AsyncIterator<T>): AsyncGenerator<T> {
  const span = startSpan(name, options);
  const active = trace.setSpan(context.active(), span);
  try {
    for (;;) {
      const next = await context.with(active, () => steps.next());
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    markSpanFailed(span, error);
    throw error;
  } finally {
    await steps.return?.();
    span.end();
  }
}

/** Starts a span that the caller ends (for work that begins and ends in different callbacks). */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  return tracer().startSpan(name, withConversation(options), context.active());
}

/** A span's options with the conversation of the work now running among its attributes. */
function withConversation(options: SpanOptions): { kind: SpanKind; attributes?: Attributes } {
  const conversationId = currentLogContext()?.conversationId;
  return { kind: options.kind ?? SpanKind.INTERNAL, attributes: conversationId ? { [GEN_AI.conversationId]: conversationId, ...options.attributes } : options.attributes };
}

/** Records a failure on a span: `error.type` (the error's code or class) and an error status. */
export function markSpanFailed(span: Span, error: unknown): void {
  const type = (error as { code?: unknown } | null)?.code;
  span.setAttribute('error.type', typeof type === 'string' ? type : error instanceof Error ? error.name : 'error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** One tool call of an agent as an `execute_tool <tool>` span. */
export function inToolSpan<T>(agent: string, tool: string, work: () => Promise<T>): Promise<T> {
  return inSpan(`execute_tool ${tool}`, { attributes: { [GEN_AI.operation]: 'execute_tool', [GEN_AI.toolName]: tool, [GEN_AI.agentName]: agent } }, work);
}

/** Names the conversation on the span now active (a request's span, once the conversation is known). */
export function setActiveSpanConversation(conversationId: string): void {
  trace.getActiveSpan()?.setAttribute(GEN_AI.conversationId, conversationId);
}

/** The ids of the span now active (what log lines carry), or undefined outside any recorded span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

export { SpanKind };

/** Prompts and completions go on `chat` spans only when asked for (they hold the home's data and the user's words). */
export function capturesMessageContent(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT']?.trim().toLowerCase() === 'true';
}
