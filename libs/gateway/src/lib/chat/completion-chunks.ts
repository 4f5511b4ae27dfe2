import type { AgentEvent } from '@aether/core';
import { randomUUID } from 'node:crypto';
import type { OpenAiErrorBody } from '../errors/openai-error';
import type { CompletionUsage } from './token-estimate';

export function newCompletionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `length` when `max_tokens` cut the answer. */
export type FinishReason = 'stop' | 'length';

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  /** Aether's progress as text, the field OpenAI-compatible reasoning models use. */
  reasoning_content?: string;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{ index: 0; delta: ChunkDelta; logprobs: null; finish_reason: FinishReason | null }>;
  usage?: CompletionUsage;
  conversation_id?: string;
  /** Present only on `X-Aether-Events: 1` streams: the agent event, unchanged. */
  aether_event?: AgentEvent;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: null;
    finish_reason: FinishReason;
  }>;
  usage: CompletionUsage;
  /** Absent for utility requests, which belong to no conversation. */
  conversation_id?: string;
}

/**
 * Builds the `chat.completion.chunk`s of one streamed answer. All share one id, `created` and
 * `model`, as OpenAI's do; every one of them is a valid chunk for the official SDKs.
 */
export class CompletionChunks {
  readonly id = newCompletionId();
  readonly created = unixSeconds();

  constructor(readonly model: string) {}

  role(): ChatCompletionChunk {
    return this.withDelta({ role: 'assistant' });
  }

  content(text: string): ChatCompletionChunk {
    return this.withDelta({ content: text });
  }

  reasoning(text: string): ChatCompletionChunk {
    return this.withDelta({ reasoning_content: text });
  }

  finish(conversationId: string | undefined, reason: FinishReason = 'stop'): ChatCompletionChunk {
    return {
      ...this.base(),
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: reason }],
      ...(conversationId !== undefined ? { conversation_id: conversationId } : {}),
    };
  }

  /** OpenAI's `stream_options.include_usage` chunk: no choices, only usage. */
  usage(usage: CompletionUsage): ChatCompletionChunk {
    return { ...this.base(), choices: [], usage };
  }

  event(event: AgentEvent): ChatCompletionChunk {
    return { ...this.base(), choices: [], aether_event: event };
  }

  private withDelta(delta: ChunkDelta): ChatCompletionChunk {
    return { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] };
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }
}

export type StreamPayload = ChatCompletionChunk | OpenAiErrorBody;
