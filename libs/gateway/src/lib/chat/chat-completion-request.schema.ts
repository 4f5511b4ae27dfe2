import type { AetherConfig } from '@aether/config';
import { agentDescriptor, isAgentName, knownAgents, labelProblem, offersNothingYet, toStorableText, type AgentName } from '@aether/core';
import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';
import { idSchema, requireSafeId } from '../http/safe-id';

/** Message text is repaired, never refused, so a pasted question is not lost to a stray NUL (see `toStorableText`). */
const text = z.string().transform(toStorableText);

const textPart = z.object({ type: z.literal('text'), text });

const messageContent = z.union([text, z.array(textPart)], {
  error: "must be a string or an array of text parts ({\"type\":\"text\",\"text\":\"…\"}); only text content is supported",
});

const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  // OpenAI lets assistant turns that only carried tool calls have null content.
  content: messageContent.nullish(),
});

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/**
 * The OpenAI chat-completions request plus Aether's `agent` and `conversation_id`. Every OpenAI
 * parameter listed here is honoured or refused (see `refuseUnsupported` and the README's table);
 * fields not listed are not OpenAI chat parameters Aether knows, and are ignored.
 */
const chatCompletionRequestSchema = z.object({
  model: z.string().trim().min(1),
  messages: z.array(message).min(1, { error: 'must contain at least one message' }),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.int().nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  modalities: z.array(z.string()).nullish(),
  audio: z.unknown().optional(),
  max_tokens: z.int().positive().nullish(),
  max_completion_tokens: z.int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  n: z.int().min(1).max(128).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  tools: z.array(z.unknown()).nullish(),
  functions: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  function_call: z.unknown().optional(),
  response_format: responseFormat.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  user: z
    .string()
    .superRefine((user, context) => {
      const problem = labelProblem(user);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  agent: z.string().nullish(),
  // Refused before any work starts when not header-safe: it is echoed in `X-Aether-Conversation-Id`.
  conversation_id: idSchema('a conversation id').nullish(),
});

export type ChatMessage = z.infer<typeof message>;

export type ResponseFormat = z.infer<typeof responseFormat>;

export interface ChatCompletionRequest {
  /** Required, as in OpenAI's API. */
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  temperature?: number;
  topP?: number;
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** `max_completion_tokens` or (older) `max_tokens`; the smaller when both are sent. */
  maxTokens?: number;
  /** Stop sequences (empty ones dropped). */
  stop: string[];
  /** Not `text` (which is the default). */
  responseFormat?: Exclude<ResponseFormat, { type: 'text' }>;
  /** OpenAI's `metadata`: Aether reads `conversation_id` and `aether_request_kind` from it. */
  metadata: Record<string, unknown>;
  user?: string;
  includeUsage: boolean;
  /** `auto` (through the orchestrator) or the agent to call directly. */
  agent: 'auto' | AgentName;
  /** `conversation_id`, else `metadata.conversation_id` (the controller adds the id headers). */
  conversationId?: string;
}

/** What `agent` may say: `auto`, or any agent this program knows. */
export function validAgentValues(): string[] {
  return ['auto', ...knownAgents().map((agent) => agent.name)];
}

export type RequestLimits = AetherConfig['requestLimits'];

/** Validates a parsed JSON body; throws a 400 `OpenAiApiException` naming the offending field. */
export function parseChatCompletionRequest(body: unknown, limits: RequestLimits): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw OpenAiApiException.invalidRequest(
      'The request body must be a JSON object (send it with Content-Type: application/json).',
      null,
      'invalid_body',
    );
  }
  // Counted before validation, so an oversized list is refused without walking it.
  const { messages } = body as { messages?: unknown };
  if (Array.isArray(messages) && messages.length > limits.maxMessages) {
    throw OpenAiApiException.invalidRequest(
      `Invalid 'messages': at most ${limits.maxMessages} messages per request, got ${messages.length}.`,
      'messages',
      'array_above_max_length',
    );
  }
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error.issues[0], body);
  const data = parsed.data;
  checkSizes(data, limits);

  if (!data.messages.some((m) => m.role === 'user')) {
    throw OpenAiApiException.invalidRequest("'messages' must contain at least one message with role 'user'.", 'messages');
  }
  const agent = data.agent ?? 'auto';
  if (agent !== 'auto' && !isAgentName(agent)) {
    throw OpenAiApiException.invalidRequest(
      `Unknown agent '${agent}'. Valid values for 'agent': ${validAgentValues().join(', ')}.`,
      'agent',
      'unknown_agent',
    );
  }
  if (agent !== 'auto' && offersNothingYet(agent)) {
    const { label } = agentDescriptor(agent);
    throw OpenAiApiException.invalidRequest(
      `The ${label} is not available yet in this version of Aether. Send 'agent': 'auto' (or no 'agent') to ask what Aether can do.`,
      'agent',
      'agent_not_available',
    );
  }
  refuseUnsupported(data);
  const maxTokens = [data.max_tokens, data.max_completion_tokens].filter((n): n is number => typeof n === 'number');
  const stop = (typeof data.stop === 'string' ? [data.stop] : (data.stop ?? [])).filter((s) => s.length > 0);
  return {
    model: data.model,
    messages: data.messages,
    stream: data.stream ?? false,
    temperature: data.temperature ?? undefined,
    topP: data.top_p ?? undefined,
    seed: data.seed ?? undefined,
    frequencyPenalty: data.frequency_penalty ?? undefined,
    presencePenalty: data.presence_penalty ?? undefined,
    maxTokens: maxTokens.length > 0 ? Math.min(...maxTokens) : undefined,
    stop,
    responseFormat: data.response_format && data.response_format.type !== 'text' ? data.response_format : undefined,
    metadata: data.metadata ?? {},
    user: data.user ?? undefined,
    includeUsage: data.stream_options?.include_usage ?? false,
    agent,
    conversationId: data.conversation_id ?? metadataConversationId(data.metadata),
  };
}

/**
 * Parameters that would change what an OpenAI client gets back in ways Aether cannot deliver are
 * refused with a 400 naming them, never silently dropped (the client would trust a result it did
 * not get).
 */
function refuseUnsupported(data: z.infer<typeof chatCompletionRequestSchema>): void {
  if (data.n !== null && data.n !== undefined && data.n > 1) {
    throw OpenAiApiException.invalidRequest(
      `Invalid 'n': Aether writes one answer per request (its agents look things up and may act on the home, so several samples would repeat that work); 'n' must be 1, got ${data.n}.`,
      'n',
      'unsupported_parameter',
    );
  }
  if (data.modalities?.some((modality) => modality !== 'text') || (data.audio !== undefined && data.audio !== null)) {
    const param = data.audio !== undefined && data.audio !== null ? 'audio' : 'modalities';
    throw OpenAiApiException.invalidRequest(
      `Unsupported parameter: '${param}'. Aether answers in text only; send 'modalities: ["text"]' or leave it out.`,
      param,
      'unsupported_parameter',
    );
  }
  if (data.logprobs === true) {
    throw OpenAiApiException.invalidRequest(
      "Unsupported parameter: 'logprobs'. Aether's answers are written by agents over several model calls (or by the offline model), so there are no token log probabilities to return.",
      'logprobs',
      'unsupported_parameter',
    );
  }
  if (data.top_logprobs !== null && data.top_logprobs !== undefined) {
    throw OpenAiApiException.invalidRequest(
      "Unsupported parameter: 'top_logprobs'. Aether returns no token log probabilities (see 'logprobs').",
      'top_logprobs',
      'unsupported_parameter',
    );
  }
  for (const param of ['tools', 'functions'] as const) {
    if (data[param]?.length) {
      throw OpenAiApiException.invalidRequest(
        `Unsupported parameter: '${param}'. Aether's agents call their own Home Assistant tools and never return 'tool_calls' for the client to run; send the request without '${param}' (an empty list is fine).`,
        param,
        'unsupported_parameter',
      );
    }
  }
  for (const param of ['tool_choice', 'function_call'] as const) {
    const choice = data[param];
    if (choice !== undefined && choice !== null && choice !== 'none' && choice !== 'auto') {
      throw OpenAiApiException.invalidRequest(
        `Invalid '${param}': no client tools are accepted (see 'tools'), so only 'none' or 'auto' can be honoured.`,
        param,
        'unsupported_parameter',
      );
    }
  }
}

/** `metadata.conversation_id`, held to the same rules as `conversation_id`. */
function metadataConversationId(metadata: Record<string, unknown> | null | undefined): string | undefined {
  const id = metadata?.['conversation_id'];
  if (id === undefined || id === null) return undefined;
  const param = 'metadata.conversation_id';
  if (typeof id !== 'string' || id.trim() === '') {
    throw OpenAiApiException.invalidRequest(`Invalid value for '${param}': must be a non-empty string.`, param, 'invalid_value');
  }
  return requireSafeId(id.trim(), param);
}

/** The text of a message; text parts are joined line by line. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text).join('\n');
}

function checkSizes(data: z.infer<typeof chatCompletionRequestSchema>, limits: RequestLimits): void {
  if (data.user && data.user.length > limits.maxUserChars) {
    throw OpenAiApiException.invalidRequest(
      `Invalid 'user': string too long. Expected a string with maximum length ${limits.maxUserChars}, but got a string with length ${data.user.length} instead.`,
      'user',
      'string_above_max_length',
    );
  }
  let total = 0;
  for (const [index, message] of data.messages.entries()) {
    const content = messageText(message);
    const param = `messages[${index}].content`;
    if (content.length > limits.maxMessageChars) {
      throw OpenAiApiException.invalidRequest(
        `Invalid '${param}': string too long. Expected at most ${limits.maxMessageChars} characters, but got ${content.length}.`,
        param,
        'string_above_max_length',
      );
    }
    // A user turn with nothing in it (also once NUL is removed) is no question to answer or remember.
    if (message.role === 'user' && content.trim() === '') {
      throw OpenAiApiException.invalidRequest(`Invalid '${param}': a user message must not be empty.`, param, 'empty_content');
    }
    total += content.length;
  }
  if (total > limits.maxTotalChars) {
    throw OpenAiApiException.invalidRequest(
      `Invalid 'messages': their content is ${total} characters together; the limit is ${limits.maxTotalChars}. Start a new conversation or shorten the history.`,
      'messages',
      'messages_too_large',
    );
  }
}

/** `messages[0].content` — the notation OpenAI uses in `param`. */
function formatParam(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (param, key) => (typeof key === 'number' ? `${param}[${key}]` : param ? `${param}.${String(key)}` : String(key)),
    '',
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function toInvalidRequest(issue: z.core.$ZodIssue, body: unknown): OpenAiApiException {
  const param = formatParam(issue.path);
  if (valueAt(body, issue.path) === undefined) {
    return OpenAiApiException.invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  const detail = issue.message.replace(/^Invalid input: /, '');
  return OpenAiApiException.invalidRequest(`Invalid value for '${param}': ${detail}.`, param, 'invalid_value');
}
