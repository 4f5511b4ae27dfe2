import { isStorableText, type ChatTurn } from '@aether/core';
import {
  conversationTitle,
  ConversationNotFoundError,
  ConversationStore,
  DEFAULT_MESSAGE_PAGE,
  MAX_MESSAGE_PAGE,
  MessageCursorError,
  type MessagePageOptions,
  type ConversationMessageRecord,
  type ConversationRecord,
  type ConversationWithMessages,
  type NewConversationMessage,
} from '@aether/persistence';
import { randomUUID } from 'node:crypto';

/**
 * Test double of `ConversationStore` with the contract's semantics: ids are global, every call is
 * scoped to the owner (appending to another user's conversation throws `ConversationNotFoundError`),
 * titles come from the first user message, history holds complete turns only. `failWith` makes every call reject, to
 * test how the gateway behaves when the database is down.
 */
export class InMemoryConversationStore extends ConversationStore {
  private readonly conversations = new Map<string, ConversationRecord & { messages: ConversationMessageRecord[]; opening?: string }>();
  /** When set, every method rejects with it. */
  failure?: Error;
  /** Every call, for tests that assert what was (not) read. */
  readonly calls: Array<{ method: keyof ConversationStore; args: unknown[] }> = [];
  private clock = Date.now();

  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  async append(message: NewConversationMessage): Promise<ConversationMessageRecord> {
    this.enter('append', [message]);
    const now = this.tick();
    let conversation = this.conversations.get(message.conversationId);
    if (conversation && conversation.userId !== message.userId) throw new ConversationNotFoundError(message.conversationId);
    if (!conversation) {
      conversation = {
        id: message.conversationId,
        userId: message.userId,
        title: '',
        createdAt: now,
        updatedAt: now,
        messageCount: 0,
        messages: [],
      };
      this.conversations.set(message.conversationId, conversation);
    }
    if (!conversation.title && message.role === 'user') conversation.title = conversationTitle(message.content);
    conversation.opening ??= message.opening;
    const record: ConversationMessageRecord = {
      id: randomUUID(),
      conversationId: message.conversationId,
      role: message.role,
      content: message.content,
      agents: message.agents ?? [],
      model: message.model ?? null,
      promptTokens: message.promptTokens ?? null,
      completionTokens: message.completionTokens ?? null,
      status: message.status ?? 'complete',
      createdAt: now,
    };
    conversation.messages.push(record);
    conversation.messageCount = conversation.messages.length;
    conversation.updatedAt = now;
    return { ...record };
  }

  async history(conversationId: string, userId: string, limit: number): Promise<ChatTurn[]> {
    this.enter('history', [conversationId, userId, limit]);
    const conversation = this.owned(conversationId, userId);
    if (!conversation) return [];
    return conversation.messages
      .filter((m) => m.status === 'complete')
      .slice(-limit)
      .map((m) => ({ role: m.role, content: m.content }));
  }

  async findByOpening(userId: string, opening: string): Promise<string | undefined> {
    this.enter('findByOpening', [userId, opening]);
    const found = [...this.conversations.values()]
      .filter((c) => c.userId === userId && c.opening === opening)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return found[0]?.id;
  }

  async list(userId: string, options: { limit?: number; offset?: number } = {}): Promise<ConversationRecord[]> {
    this.enter('list', [userId, options]);
    const offset = options.offset ?? 0;
    return [...this.conversations.values()]
      .filter((c) => c.userId === userId)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(offset, offset + (options.limit ?? 20))
      .map(({ messages: _messages, opening: _opening, ...record }) => ({ ...record }));
  }

  async get(conversationId: string, userId: string, page: MessagePageOptions = {}): Promise<ConversationWithMessages | null> {
    this.enter('get', [conversationId, userId, page]);
    const conversation = this.owned(conversationId, userId);
    if (!conversation) return null;
    let end = conversation.messages.length;
    if (page.before !== undefined) {
      end = conversation.messages.findIndex((m) => m.id === page.before);
      if (end < 0) throw new MessageCursorError(page.before);
    }
    const limit = Math.min(Math.max(page.limit ?? DEFAULT_MESSAGE_PAGE, 1), MAX_MESSAGE_PAGE);
    const start = Math.max(end - limit, 0);
    const { opening: _opening, ...record } = conversation;
    return { ...record, messages: conversation.messages.slice(start, end).map((m) => ({ ...m })), hasMore: start > 0 };
  }

  async delete(conversationId: string, userId: string): Promise<boolean> {
    this.enter('delete', [conversationId, userId]);
    return this.owned(conversationId, userId) ? this.conversations.delete(conversationId) : false;
  }

  private enter(method: keyof ConversationStore, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failure) throw this.failure;
    // PostgreSQL refuses these in text and jsonb; the double must too, or tests would miss what production hits.
    for (const text of strings(args)) {
      if (!isStorableText(text)) throw new Error('unsupported Unicode escape sequence (NUL or a lone surrogate in a stored string)');
    }
  }

  /** Strictly increasing timestamps, so "most recently updated" is well defined within one millisecond. */
  private tick(): Date {
    this.clock = Math.max(this.clock + 1, Date.now());
    return new Date(this.clock);
  }

  private owned(conversationId: string, userId: string) {
    const conversation = this.conversations.get(conversationId);
    return conversation?.userId === userId ? conversation : undefined;
  }
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) yield* strings(item);
}
