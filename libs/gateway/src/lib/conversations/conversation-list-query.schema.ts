import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';
import { idSchema } from '../http/safe-id';

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

/** Query strings arrive as text; a repeated parameter (`?limit=1&limit=2`) arrives as an array and is refused. */
const integerText = (min: number, max: number) =>
  z
    .string({ error: 'must be given once, as an integer' })
    .regex(/^\d+$/, { error: 'must be a non-negative integer' })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const listQuerySchema = z.object({
  limit: integerText(1, MAX_LIST_LIMIT).optional(),
  offset: integerText(0, Number.MAX_SAFE_INTEGER).optional(),
  after: idSchema('a conversation id').optional(),
});

export interface ConversationListQuery {
  limit: number;
  /** Skip this many conversations (most recently updated first)… */
  offset: number;
  /** …or start after this conversation id (the `last_id` of the previous page). */
  after?: string;
}

/** Validates `GET /conversations` query parameters; bad values are a 400 naming the parameter. */
export function parseConversationListQuery(query: Record<string, unknown>): ConversationListQuery {
  const { limit, offset, after } = parseQuery(listQuerySchema, query);
  if (after !== undefined && offset !== undefined) {
    throw OpenAiApiException.invalidRequest("Use either 'offset' or 'after' to page, not both.", 'after', 'invalid_value');
  }
  return { limit: limit ?? DEFAULT_LIST_LIMIT, offset: offset ?? 0, after };
}

export const DEFAULT_MESSAGES_LIMIT = 100;
export const MAX_MESSAGES_LIMIT = 1000;

const messagesQuerySchema = z.object({
  limit: integerText(1, MAX_MESSAGES_LIMIT).optional(),
  before: idSchema('a message id').optional(),
});

export interface ConversationMessagesQuery {
  /** Messages per page. */
  limit: number;
  /** Only messages older than this message id (the `first_id` of the previous page). */
  before?: string;
}

/** Validates `GET /conversations/:id` query parameters; bad values are a 400 naming the parameter. */
export function parseConversationMessagesQuery(query: Record<string, unknown>): ConversationMessagesQuery {
  const { limit, before } = parseQuery(messagesQuerySchema, query);
  return { limit: limit ?? DEFAULT_MESSAGES_LIMIT, before };
}

function parseQuery<T>(schema: z.ZodType<T>, query: Record<string, unknown>): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = String(issue.path[0] ?? 'query');
    throw OpenAiApiException.invalidRequest(`Invalid value for '${param}': ${issue.message.replace(/^Invalid input: /, '')}.`, param, 'invalid_value');
  }
  return parsed.data;
}
