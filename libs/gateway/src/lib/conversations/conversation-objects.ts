import type { ConversationMessageRecord, ConversationRecord, ConversationWithMessages } from '@aether/persistence';

/** A conversation as the API shows it, in the style of OpenAI's list objects (times in unix seconds). */
export interface ConversationObject {
  id: string;
  object: 'conversation';
  title: string;
  created_at: number;
  updated_at: number;
  message_count: number;
}

export interface ConversationMessageObject {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** Agents that produced an assistant message, in the order they started. */
  agents: string[];
  model: string | null;
  /** The gateway's estimates; null where unknown (user messages). */
  usage: { prompt_tokens: number | null; completion_tokens: number | null };
  status: 'complete' | 'failed';
  created_at: number;
}

/**
 * A conversation with one page of its messages (oldest first), paged like OpenAI's lists: the
 * previous page is `?before=<first_id>` while `has_more` is true.
 */
export interface ConversationWithMessagesObject extends ConversationObject {
  messages: ConversationMessageObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface ConversationListObject {
  object: 'list';
  data: ConversationObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface ConversationDeletedObject {
  id: string;
  object: 'conversation.deleted';
  deleted: true;
}

function unixSecondsOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function toConversationObject(record: ConversationRecord): ConversationObject {
  return {
    id: record.id,
    object: 'conversation',
    title: record.title,
    created_at: unixSecondsOf(record.createdAt),
    updated_at: unixSecondsOf(record.updatedAt),
    message_count: record.messageCount,
  };
}

export function toMessageObject(record: ConversationMessageRecord): ConversationMessageObject {
  return {
    id: record.id,
    role: record.role,
    content: record.content,
    agents: record.agents,
    model: record.model,
    usage: { prompt_tokens: record.promptTokens, completion_tokens: record.completionTokens },
    status: record.status,
    created_at: unixSecondsOf(record.createdAt),
  };
}

export function toConversationWithMessagesObject(record: ConversationWithMessages): ConversationWithMessagesObject {
  const messages = record.messages.map(toMessageObject);
  return {
    ...toConversationObject(record),
    messages,
    first_id: messages[0]?.id ?? null,
    last_id: messages.at(-1)?.id ?? null,
    has_more: record.hasMore,
  };
}
