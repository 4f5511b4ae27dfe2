import type { ChatTurn } from '@aether/core';

export interface ConversationRecord {
  id: string;
  /** The caller identity that owns it (the gateway's API key label, or "anonymous"). */
  userId: string;
  /** The first user message, shortened. */
  title: string;
  createdAt: Date;
  updatedAt: Date;
  messageCount: number;
}

export interface ConversationMessageRecord {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  /** Agents that took part in producing an assistant message, in the order they started. */
  agents: string[];
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** `failed` for an assistant turn that ended in an error (its content is the error message). */
  status: 'complete' | 'failed';
  createdAt: Date;
}

export interface NewConversationMessage {
  conversationId: string;
  userId: string;
  role: 'user' | 'assistant';
  content: string;
  agents?: string[];
  model?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  status?: 'complete' | 'failed';
  /**
   * The conversation's opening (a hash of its first user message and first answer), recorded once:
   * a conversation that has one keeps it.
   */
  opening?: string;
}

/** A page of a conversation's messages, walking back from the newest. */
export interface MessagePageOptions {
  /** Messages at most (default `DEFAULT_MESSAGE_PAGE`, at most `MAX_MESSAGE_PAGE`). */
  limit?: number;
  /** A message id of the conversation: only messages older than it (the previous page's first message). */
  before?: string;
}

export const DEFAULT_MESSAGE_PAGE = 100;
export const MAX_MESSAGE_PAGE = 1000;

export interface ConversationWithMessages extends ConversationRecord {
  /** One page, oldest first: the newest `limit` messages before the cursor. */
  messages: ConversationMessageRecord[];
  /** Older messages exist before the first one of `messages`. */
  hasMore: boolean;
}

/**
 * Conversation memory. Every method is scoped to the owning user: another user's conversation is
 * "not found". Implemented over TypeORM (`TypeOrmConversationStore`).
 */
export abstract class ConversationStore {
  /** Appends a message, creating the conversation (titled by its first user message) if needed. */
  abstract append(message: NewConversationMessage): Promise<ConversationMessageRecord>;
  /** The last `limit` complete turns as agent history, oldest first. */
  abstract history(conversationId: string, userId: string, limit: number): Promise<ChatTurn[]>;
  /** Most recently updated first. */
  abstract list(userId: string, options?: { limit?: number; offset?: number }): Promise<ConversationRecord[]>;
  /** The conversation with one page of its messages; throws `MessageCursorError` for a `before` it does not hold. */
  abstract get(conversationId: string, userId: string, page?: MessagePageOptions): Promise<ConversationWithMessages | null>;
  /** The user's conversation recorded with this opening (the most recently updated, if several), if any. */
  abstract findByOpening(userId: string, opening: string): Promise<string | undefined>;
  /** Deletes the conversation and its messages; false when there was none. */
  abstract delete(conversationId: string, userId: string): Promise<boolean>;
}
