import { reportModelUsage, type AgentName, type UsageEvent } from '@aether/core';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { isAIMessage, type BaseMessage, type UsageMetadata } from '@langchain/core/messages';
import type { Span } from '@opentelemetry/api';
import type { ChatGeneration, LLMResult } from '@langchain/core/outputs';
import type { ModelCallObserver } from '../resilience/resilient-fetch';
import { endChatSpan, startChatSpan, type ChatSpanResult } from '../tracing/chat-span';

/**
 * Traces every call of one agent's model as a `chat <model>` span, and reports the provider's
 * token usage of each as a `usage` event (see `withModelUsageSink`). LangChain's OpenAI client maps `prompt_tokens_details.cached_tokens` to
 * `input_token_details.cache_read` and `completion_tokens_details.reasoning_tokens` to
 * `output_token_details.reasoning`, streamed or not (streams ask for usage with `streamUsage`).
 * A response without usage reports nothing: counts are never invented.
 */
export class ModelUsageCallback extends BaseCallbackHandler {
  name = 'aether-model-usage';
  // Inline, not queued: the agent step's sink is found through the async context of the call.
  override awaitHandlers = true;

  /** When each call in flight started, and its span, by LangChain run id. */
  private readonly started = new Map<string, { at: number; span: Span }>();

  constructor(
    private readonly agent: AgentName,
    private readonly model: string,
    private readonly observer?: Pick<ModelCallObserver, 'callFinished'>,
  ) {
    super();
  }

  override handleChatModelStart(_llm: unknown, messages: BaseMessage[][], runId: string): void {
    this.started.set(runId, { at: performance.now(), span: startChatSpan(this.model, () => messages.flat().map(messageForSpan), this.agent) });
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const event = usageEventOf(output, this.agent, this.model);
    const generations = output.generations.flat() as ChatGeneration[];
    this.finished(runId, {
      responseModel: event?.model,
      inputTokens: event?.promptTokens,
      outputTokens: event?.completionTokens,
      finishReasons: generations.map((generation) => generation.generationInfo?.['finish_reason']).filter((reason): reason is string => typeof reason === 'string'),
      output: () => generations.map((generation) => (generation.message ? messageForSpan(generation.message) : { role: 'assistant', content: generation.text })),
    });
    if (event) reportModelUsage(event);
  }

  override handleLLMError(error: unknown, runId: string): void {
    this.finished(runId, { error });
  }

  private finished(runId: string, result: ChatSpanResult | { error: unknown }): void {
    const started = this.started.get(runId);
    if (started === undefined) return;
    this.started.delete(runId);
    endChatSpan(started.span, result);
    this.observer?.callFinished?.(this.agent, this.model, (performance.now() - started.at) / 1000, 'error' in result ? 'error' : 'ok');
  }
}

/** The usage of one model call, summed over its generations; undefined when the provider sent none. */
export function usageEventOf(output: LLMResult, agent: AgentName, model: string): UsageEvent | undefined {
  let event: UsageEvent | undefined;
  for (const generation of output.generations.flat() as ChatGeneration[]) {
    const message = generation.message;
    if (!message || !isAIMessage(message) || !message.usage_metadata) continue;
    const usage: UsageMetadata = message.usage_metadata;
    const servedBy = message.response_metadata?.['model_name'];
    event ??= {
      type: 'usage',
      agent,
      // The model that answered (a fail-over may have served the call) when the provider names it.
      model: typeof servedBy === 'string' && servedBy ? servedBy : model,
      promptTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      cachedTokens: 0,
    };
    event.promptTokens += usage.input_tokens ?? 0;
    event.completionTokens += usage.output_tokens ?? 0;
    event.reasoningTokens += usage.output_token_details?.reasoning ?? 0;
    event.cachedTokens += usage.input_token_details?.cache_read ?? 0;
  }
  return event;
}

/** A message as GenAI spans record content: its role, text and tool calls. */
function messageForSpan(message: BaseMessage): Record<string, unknown> {
  const toolCalls = isAIMessage(message) && message.tool_calls?.length ? { tool_calls: message.tool_calls.map((call) => ({ name: call.name, arguments: call.args })) } : {};
  return { role: message.type, content: message.content, ...toolCalls };
}
