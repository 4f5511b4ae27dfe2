import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { AgentError } from '@aether/core';
import { UtilityModel, type UtilityMessage } from '@aether/llm';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AnswerLimiter } from '../chat/answer-limiter';
import { ChatMetrics } from '../chat/chat-metrics.service';
import { messageText, type ChatCompletionRequest } from '../chat/chat-completion-request.schema';
import { CompletionChunks, newCompletionId, unixSeconds, type ChatCompletion } from '../chat/completion-chunks';
import { estimatePromptTokens, estimateTokens, type CompletionUsage } from '../chat/token-estimate';
import { toOpenAiError } from '../errors/to-openai-error';
import { ServerSentEvents } from '../http/server-sent-events';
import { ModelUsageLedger } from '../usage/model-usage-ledger.service';
import type { UtilityRequest } from './utility-request';

/**
 * Answers a client's utility request (title, tags, follow-ups, …) with one direct call of the
 * configured model: the client's prompt already says what to write and how, so no agent runs, no
 * conversation is touched, and it is counted apart from the agents' completions; the provider's
 * token usage is recorded for the caller under agent `utility` (`GET /api/v1/usage`). Sampling
 * parameters, `max_tokens`, `stop` and `response_format` go to that call.
 */
@Injectable()
export class UtilityCompletions {
  constructor(
    private readonly model: UtilityModel,
    private readonly metrics: ChatMetrics,
    private readonly usageLedger: ModelUsageLedger,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  async complete(request: ChatCompletionRequest, model: string, utility: UtilityRequest, userId: string, signal: AbortSignal): Promise<ChatCompletion> {
    const { text, finishReason, usage } = await this.ask(request, model, utility, userId, signal);
    return {
      id: newCompletionId(),
      object: 'chat.completion',
      created: unixSeconds(),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
      usage,
    };
  }

  /** One model call, sent as a stream: role, the answer, finish, usage when asked, `[DONE]`. */
  async stream(request: ChatCompletionRequest, model: string, utility: UtilityRequest, userId: string, response: Response): Promise<void> {
    const chunks = new CompletionChunks(model);
    const sse = new ServerSentEvents(response, { heartbeatMs: this.config.heartbeatMs });
    const abort = new AbortController();
    sse.onDisconnect(() => abort.abort(new Error('client disconnected')));
    try {
      const { text, finishReason, usage } = await this.ask(request, model, utility, userId, abort.signal);
      await sse.data(chunks.role());
      if (text) await sse.data(chunks.content(text));
      await sse.data(chunks.finish(undefined, finishReason));
      if (request.includeUsage) await sse.data(chunks.usage(usage));
      await sse.data('[DONE]');
      sse.end();
    } catch (error) {
      if (abort.signal.aborted) {
        sse.end();
        return;
      }
      // Nothing was sent yet: the exception filter answers with the right status.
      sse.dispose();
      throw error;
    }
  }

  private async ask(request: ChatCompletionRequest, model: string, utility: UtilityRequest, userId: string, signal: AbortSignal) {
    const messages = toUtilityMessages(request);
    let answer: Awaited<ReturnType<UtilityModel['complete']>>;
    try {
      answer = await this.model.complete({
        model,
        messages,
        temperature: request.temperature,
        topP: request.topP,
        seed: request.seed,
        frequencyPenalty: request.frequencyPenalty,
        presencePenalty: request.presencePenalty,
        user: request.user,
        maxTokens: request.maxTokens,
        stop: request.stop,
        responseFormat: request.responseFormat,
        signal,
      });
    } catch (error) {
      if (signal.aborted) {
        this.metrics.utilityCompleted(utility.kind, 'client_disconnected');
        throw error;
      }
      const failure = modelFailure(error);
      this.metrics.utilityCompleted(utility.kind, toOpenAiError(failure).body.error.code ?? 'error');
      throw failure;
    }
    // The model was asked to honour max_tokens and stop; the offline one ignores them, so the cut is applied here too.
    const limiter = new AnswerLimiter({ maxTokens: request.maxTokens, stop: request.stop });
    const text = limiter.apply(answer.text);
    const finishReason = answer.finishReason === 'length' || limiter.finishReason === 'length' ? 'length' : 'stop';
    const prompt = answer.usage?.promptTokens ?? estimatePromptTokens(request.messages);
    const completion = text === answer.text && answer.usage ? answer.usage.completionTokens : estimateTokens(text);
    const usage: CompletionUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    this.metrics.utilityCompleted(utility.kind, 'ok');
    // Only the provider's own counts are recorded (the offline model reports none); never throws.
    if (answer.usage) await this.usageLedger.record({ userId, conversationId: '' }, [{ agent: 'utility', ...answer.usage }]);
    return { text, finishReason, usage } as const;
  }
}

function toUtilityMessages(request: ChatCompletionRequest): UtilityMessage[] {
  return request.messages.flatMap((message): UtilityMessage[] => {
    if (message.role === 'tool') return [];
    const role = message.role === 'developer' ? 'system' : message.role;
    return [{ role, content: messageText(message) }];
  });
}

/**
 * The model server failed: a 502 naming it, or the server's own 4xx status when it refused the
 * request (a bad `response_format` schema is the client's to fix).
 */
function modelFailure(error: unknown): unknown {
  const status = (error as { status?: unknown })?.status;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new AgentError('invalid_input', `The language model refused the request: ${message}`);
  }
  if (toOpenAiError(error).body.error.code !== 'internal_error') return error;
  return new AgentError('upstream_error', `The language model failed: ${message}`);
}
