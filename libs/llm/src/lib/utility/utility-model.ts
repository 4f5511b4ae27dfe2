/**
 * One direct model call for a client's "utility" request (a chat title, tags, follow-up questions,
 * search queries, an autocompletion): the client's prompt already says what to write and in which
 * format, so no agent is involved. Used as a Nest DI token; `LlmModule` provides it from the
 * configured LLM (or `aether-offline`) without loading LangChain.
 */
export abstract class UtilityModel {
  abstract complete(request: UtilityCompletionRequest): Promise<UtilityCompletion>;
}

export interface UtilityMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** `response_format` as OpenAI defines it (`text` is the same as none). */
export type UtilityResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string | null; schema?: Record<string, unknown> | null; strict?: boolean | null } };

export interface UtilityCompletionRequest {
  /** The model that answers (already resolved against the offered models). */
  model: string;
  messages: UtilityMessage[];
  temperature?: number;
  topP?: number;
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  user?: string;
  maxTokens?: number;
  stop?: string[];
  responseFormat?: UtilityResponseFormat;
  signal?: AbortSignal;
}

export interface UtilityCompletion {
  text: string;
  /** `length` when the model stopped at `maxTokens`. */
  finishReason: 'stop' | 'length';
  /** Exact counts when the model reported them, and the model the provider says served the call; the gateway estimates otherwise. */
  usage?: { model: string; promptTokens: number; completionTokens: number; reasoningTokens: number; cachedTokens: number };
}
