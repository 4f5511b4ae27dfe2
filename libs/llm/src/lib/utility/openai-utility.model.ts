import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { DEFAULT_LLM_CALL_SETTINGS } from '@aether/config';
import { currentLogContext, isAgentName, reportModelUsage } from '@aether/core';
import { NO_API_KEY, type LlmConnection } from '../llm-connection';
import { createResilientFetch, type ModelCallObserver } from '../resilience/resilient-fetch';
import { endChatSpan, startChatSpan } from '../tracing/chat-span';
import { UtilityModel, type UtilityCompletion, type UtilityCompletionRequest } from './utility-model';

type Connection = Pick<Extract<LlmConnection, { provider: 'openai-compatible' }>, 'provider' | 'baseUrl' | 'apiKey' | 'defaultModel' | 'agentModels' | 'temperature'> &
  Partial<Pick<Extract<LlmConnection, { provider: 'openai-compatible' }>, 'calls'>>;

/**
 * Utility requests against the configured OpenAI-compatible server: one `chat.completions` call with
 * the client's sampling parameters and output format passed through. The `openai` client is loaded
 * on the first call, so a gateway that never sees a utility request never loads it.
 *
 * A call made by an agent (the DS analysts' script writer, the DS team's narrator) is counted as
 * that agent's model call, as the agents' chat models are: its duration by agent and model for
 * the observer (`aether_llm_call_duration_seconds`), its usage as a `usage` event of the agent's
 * step. The gateway's own utility requests (titles, tags) count as agent `gateway`.
 */
export class OpenAiUtilityModel extends UtilityModel {
  private client?: Promise<OpenAI>;

  constructor(
    private readonly connection: Connection,
    private readonly observer?: ModelCallObserver,
  ) {
    super();
  }

  async complete(request: UtilityCompletionRequest): Promise<UtilityCompletion> {
    const client = await (this.client ??= import('openai').then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          baseURL: this.connection.baseUrl,
          apiKey: this.connection.apiKey ?? NO_API_KEY,
          // The agents' model-call layer: bounded, retried, and every body made acceptable to the server.
          fetch: createResilientFetch({ settings: this.connection.calls ?? DEFAULT_LLM_CALL_SETTINGS, observer: this.observer }),
          maxRetries: 0,
        }),
    ));
    const temperature = request.temperature ?? this.connection.temperature;
    const agent = currentLogContext()?.agent;
    const span = startChatSpan(request.model, () => request.messages, agent);
    const started = performance.now();
    const finished = (outcome: 'ok' | 'error') => this.observer?.callFinished?.(agent ?? 'gateway', request.model, (performance.now() - started) / 1000, outcome);
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          ...(temperature !== undefined ? { temperature } : {}),
          ...(request.topP !== undefined ? { top_p: request.topP } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
          ...(request.frequencyPenalty !== undefined ? { frequency_penalty: request.frequencyPenalty } : {}),
          ...(request.presencePenalty !== undefined ? { presence_penalty: request.presencePenalty } : {}),
          ...(request.user !== undefined ? { user: request.user } : {}),
          // Renamed for OpenAI's reasoning models, and capped at LLM_MAX_OUTPUT_TOKENS, by the model-call layer.
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          ...(request.stop?.length ? { stop: request.stop } : {}),
          // Nulls dropped: the wire format allows them, the SDK's types do not.
          ...(request.responseFormat
            ? { response_format: JSON.parse(JSON.stringify(request.responseFormat, (_, v: unknown) => v ?? undefined)) as ChatCompletionCreateParamsNonStreaming['response_format'] }
            : {}),
        },
        { signal: request.signal },
      );
    } catch (error) {
      endChatSpan(span, { error });
      finished('error');
      throw error;
    }
    finished('ok');
    const choice = completion.choices[0];
    endChatSpan(span, {
      responseModel: completion.model,
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
      finishReasons: completion.choices.map((c) => c.finish_reason).filter(Boolean),
      output: () => completion.choices.map((c) => c.message),
    });
    const usage = completion.usage && {
      model: completion.model || request.model,
      promptTokens: completion.usage.prompt_tokens,
      completionTokens: completion.usage.completion_tokens,
      reasoningTokens: completion.usage.completion_tokens_details?.reasoning_tokens ?? 0,
      cachedTokens: completion.usage.prompt_tokens_details?.cached_tokens ?? 0,
    };
    if (usage && isAgentName(agent)) reportModelUsage({ type: 'usage', agent, ...usage });
    return {
      text: choice?.message.content ?? '',
      finishReason: choice?.finish_reason === 'length' ? 'length' : 'stop',
      ...(usage ? { usage } : {}),
    };
  }
}
