import { capturesMessageContent, currentLogContext, GEN_AI, markSpanFailed, SpanKind, startSpan } from '@aether/core';
import type { Span } from '@opentelemetry/api';

/** What a model call's span records once it has answered. */
export interface ChatSpanResult {
  /** The model that answered, when the provider names it. */
  responseModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: string[];
  /** The completion, asked for (and recorded) only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true. */
  output?: () => unknown;
}

/**
 * One call to a model as a GenAI `chat <model>` span (client kind: the model is another service),
 * named by the model asked for. The prompt is recorded only when content capture is on.
 */
export function startChatSpan(model: string, input: () => unknown, agent = currentLogContext()?.agent): Span {
  const span = startSpan(`chat ${model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [GEN_AI.operation]: 'chat',
      [GEN_AI.provider]: 'openai',
      [GEN_AI.requestModel]: model,
      ...(agent ? { [GEN_AI.agentName]: agent } : {}),
    },
  });
  if (span.isRecording() && capturesMessageContent()) span.setAttribute(GEN_AI.inputMessages, JSON.stringify(input()));
  return span;
}

/** Ends a chat span with what the call returned, or as failed. */
export function endChatSpan(span: Span, result: ChatSpanResult | { error: unknown }): void {
  if ('error' in result) markSpanFailed(span, result.error);
  else {
    if (result.responseModel) span.setAttribute(GEN_AI.responseModel, result.responseModel);
    if (result.inputTokens !== undefined) span.setAttribute(GEN_AI.inputTokens, result.inputTokens);
    if (result.outputTokens !== undefined) span.setAttribute(GEN_AI.outputTokens, result.outputTokens);
    if (result.finishReasons?.length) span.setAttribute(GEN_AI.finishReasons, result.finishReasons);
    if (result.output && span.isRecording() && capturesMessageContent()) span.setAttribute(GEN_AI.outputMessages, JSON.stringify(result.output()));
  }
  span.end();
}
