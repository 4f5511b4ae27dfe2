import { isAgentName, knownAgents, type AgentName } from '@aether/core';
import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';

const textPart = z.object({ type: z.literal('text'), text: z.string() });

const messageContent = z.union([z.string(), z.array(textPart)], {
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
  user: z.string().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  agent: z.string().nullish(),
  conversation_id: z.string().trim().min(1).max(200).nullish(),
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

/** Validates a parsed JSON body; throws a 400 `OpenAiApiException` naming the offending field. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw OpenAiApiException.invalidRequest(
      'The request body must be a JSON object (send it with Content-Type: application/json).',
      null,
      'invalid_body',
    );
  }
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequest(parsed.error.issues[0], body);
  const data = parsed.data;

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
