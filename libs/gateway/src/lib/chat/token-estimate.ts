import type { UsageEvent } from '@aether/core';
import type { ChatMessage } from './chat-completion-request.schema';
import { messageText } from './chat-completion-request.schema';

/**
 * Rough token counts for `usage`. Agents run several models (or none: aether-offline) behind one
 * answer, so there is no single tokenizer to ask; OpenAI's rule of thumb of ~4 characters per
 * token, plus the per-message framing of its chat format, gives clients a usable estimate.
 */
export const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + estimateTokens(messageText(message)), 0);
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Only with the provider's real counts. */
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/**
 * The turn's usage: the sum of the provider's counts over every model call when there were any
 * (an `aether-offline` turn has none), else the estimate.
 */
export function turnUsage(calls: readonly UsageEvent[], messages: readonly ChatMessage[], answer: string): CompletionUsage {
  if (calls.length === 0) return estimateUsage(messages, answer);
  const sum = (pick: (call: UsageEvent) => number) => calls.reduce((total, call) => total + pick(call), 0);
  const prompt = sum((call) => call.promptTokens);
  const completion = sum((call) => call.completionTokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: sum((call) => call.cachedTokens) },
    completion_tokens_details: { reasoning_tokens: sum((call) => call.reasoningTokens) },
  };
}

export function estimateUsage(messages: readonly ChatMessage[], answer: string): CompletionUsage {
  const prompt = estimatePromptTokens(messages);
  const completion = estimateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
