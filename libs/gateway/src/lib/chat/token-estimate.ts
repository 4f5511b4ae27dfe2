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
}

export function estimateUsage(messages: readonly ChatMessage[], answer: string): CompletionUsage {
  const prompt = estimatePromptTokens(messages);
  const completion = estimateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
