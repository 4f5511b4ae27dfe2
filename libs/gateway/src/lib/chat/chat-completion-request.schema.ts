import type { AetherConfig } from '@aether/config';
import { isAgentName, knownAgents, labelProblem, toStorableText, type AgentName } from '@aether/core';
import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';
import { idSchema } from '../http/safe-id';

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

/**
 * The OpenAI chat-completions request plus Aether's `agent` and `conversation_id`. Fields Aether
 * does not use (`n`, `tools`, `top_p`, …) are accepted and ignored, as OpenAI-compatible servers do.
 */
const chatCompletionRequestSchema = z.object({
  model: z.string().trim().min(1).nullish(),
  messages: z.array(message).min(1, { error: 'must contain at least one message' }),
  stream: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  max_tokens: z.int().positive().nullish(),
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

export interface ChatCompletionRequest {
  /** Undefined when the client did not name one; the gateway then uses the first listed model. */
  model?: string;
  messages: ChatMessage[];
  stream: boolean;
  temperature?: number;
  maxTokens?: number;
  user?: string;
  includeUsage: boolean;
  /** `auto` (through the orchestrator) or the agent to call directly. */
  agent: 'auto' | AgentName;
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
  return {
    model: data.model ?? undefined,
    messages: data.messages,
    stream: data.stream ?? false,
    temperature: data.temperature ?? undefined,
    maxTokens: data.max_tokens ?? undefined,
    user: data.user ?? undefined,
    includeUsage: data.stream_options?.include_usage ?? false,
    agent,
    conversationId: data.conversation_id ?? undefined,
  };
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
