import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { toStorableText, truncate, type ChatTurn } from '@aether/core';
import { DataSource } from 'typeorm';
import {
  ConversationStore,
  DEFAULT_MESSAGE_PAGE,
  MAX_MESSAGE_PAGE,
  type ConversationMessageRecord,
  type MessagePageOptions,
  type ConversationRecord,
  type ConversationWithMessages,
  type NewConversationMessage,
} from './conversation.store';
import { ConversationNotFoundError, MessageCursorError } from './conversation-not-found.error';

const TITLE_MAX_LENGTH = 80;
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 500;

interface ConversationRow {
  id: string;
  user_id: string;
  title: string;
  created_at: Date | string;
  updated_at: Date | string;
  message_count: number | string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  content: string;
  agents: string[] | string;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  status: 'complete' | 'failed';
  created_at: Date | string;
}

/** A conversation title from its first user message: one line, at most 80 characters. */
export function conversationTitle(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  if (line.length <= TITLE_MAX_LENGTH) return toStorableText(line);
  // Cut on a grapheme boundary: a plain slice could split an emoji and store half a surrogate pair.
  return truncate(line, TITLE_MAX_LENGTH).replace(/\s+…$/, '…');
}

/**
 * `ConversationStore` over TypeORM. Plain statements, no multi-statement transactions: on PGlite
 * every query runner shares the one embedded connection, so an open transaction would swallow
 * unrelated concurrent queries. Timestamps come from the database's `clock_timestamp()` so message
 * order is the order they were appended, whichever process appended them.
 */
@Injectable()
export class TypeOrmConversationStore extends ConversationStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async append(message: NewConversationMessage): Promise<ConversationMessageRecord> {
    const title = message.role === 'user' ? conversationTitle(message.content) : '';
    // One statement, one round trip (a turn is written on every chat's path): the conversation is
    // created, or touched (and titled if it has no title yet) only when it belongs to this user,
    // and the message is inserted only for a conversation the first part returned — no row back
    // means it is someone else's, and nothing was written.
    const rows: MessageRow[] = await this.dataSource.query(
      `WITH owned AS (
         INSERT INTO conversations AS c (id, user_id, title, opening, created_at, updated_at)
         VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())
         ON CONFLICT (id) DO UPDATE
           SET updated_at = clock_timestamp(),
               title = CASE WHEN c.title = '' THEN excluded.title ELSE c.title END,
               opening = COALESCE(c.opening, excluded.opening)
           WHERE c.user_id = excluded.user_id
         RETURNING c.id
       )
       INSERT INTO conversation_messages
         (id, conversation_id, role, content, agents, model, prompt_tokens, completion_tokens, status, created_at)
       SELECT $5, owned.id, $6, $7, $8::jsonb, $9, $10, $11, $12, clock_timestamp() FROM owned
       RETURNING *`,
      [
        message.conversationId,
        message.userId,
        title,
        message.opening ?? null,
        randomUUID(),
        message.role,
        message.content,
        JSON.stringify(message.agents ?? []),
        message.model ?? null,
        message.promptTokens ?? null,
        message.completionTokens ?? null,
        message.status ?? 'complete',
      ],
    );
    if (rows.length === 0) throw new ConversationNotFoundError(message.conversationId);
    return toMessageRecord(rows[0]);
  }

  async history(conversationId: string, userId: string, limit: number): Promise<ChatTurn[]> {
    if (limit <= 0) return [];
    const rows: Pick<MessageRow, 'role' | 'content'>[] = await this.dataSource.query(
      `SELECT role, content FROM (
         SELECT m.role, m.content, m.created_at, m.seq
         FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.conversation_id = $1 AND c.user_id = $2 AND m.status = 'complete'
         ORDER BY m.created_at DESC, m.seq DESC
         LIMIT $3
       ) recent ORDER BY created_at ASC, seq ASC`,
      [conversationId, userId, Math.floor(limit)],
    );
    return rows.map((row) => ({ role: row.role, content: row.content }));
  }

  async list(userId: string, options: { limit?: number; offset?: number } = {}): Promise<ConversationRecord[]> {
    const limit = Math.min(Math.max(Math.floor(options.limit ?? DEFAULT_LIST_LIMIT), 1), MAX_LIST_LIMIT);
    const offset = Math.max(Math.floor(options.offset ?? 0), 0);
    const rows: ConversationRow[] = await this.dataSource.query(
      `SELECT c.*, (SELECT count(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS message_count
       FROM conversations c
       WHERE c.user_id = $1
       ORDER BY c.updated_at DESC,
         -- Two turns stored within one tick of a coarse clock tie on updated_at: the later message wins.
         (SELECT max(m.seq) FROM conversation_messages m WHERE m.conversation_id = c.id) DESC NULLS LAST,
         c.id
       LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    return rows.map(toConversationRecord);
  }

  async get(conversationId: string, userId: string, page: MessagePageOptions = {}): Promise<ConversationWithMessages | null> {
    const conversations: ConversationRow[] = await this.dataSource.query(
      `SELECT c.*, (SELECT count(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS message_count
       FROM conversations c WHERE c.id = $1 AND c.user_id = $2`,
      [conversationId, userId],
    );
    if (conversations.length === 0) return null;
    const limit = Math.min(Math.max(Math.floor(page.limit ?? DEFAULT_MESSAGE_PAGE), 1), MAX_MESSAGE_PAGE);
    const values: unknown[] = [conversationId, limit + 1];
    let older = '';
    if (page.before !== undefined) {
      // Compared as text, so a cursor that is not even a uuid is "not a message here", not a SQL error.
      const cursor: unknown[] = await this.dataSource.query(
        `SELECT 1 FROM conversation_messages WHERE conversation_id = $1 AND id::text = $2`,
        [conversationId, page.before],
      );
      if (cursor.length === 0) throw new MessageCursorError(page.before);
      values.push(page.before);
      older = `AND (created_at, seq) < (SELECT created_at, seq FROM conversation_messages WHERE id = $3::uuid)`;
    }
    // The newest `limit` (+1, to tell whether more exist) before the cursor, then oldest first.
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT * FROM conversation_messages WHERE conversation_id = $1 ${older}
         ORDER BY created_at DESC, seq DESC LIMIT $2
       ) newest ORDER BY created_at ASC, seq ASC`,
      values,
    );
    const hasMore = rows.length > limit;
    const messages = (hasMore ? rows.slice(1) : rows).map(toMessageRecord);
    return { ...toConversationRecord(conversations[0]), messages, hasMore };
  }

  async findByOpening(userId: string, opening: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM conversations WHERE user_id = $1 AND opening = $2 ORDER BY updated_at DESC, id LIMIT 1`,
      [userId, opening],
    );
    return rows[0]?.id;
  }

  async delete(conversationId: string, userId: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM reshapes the result of a bare DELETE differently on pg and PGlite.
    const [{ deleted }]: { deleted: number }[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM conversations WHERE id = $1 AND user_id = $2 RETURNING id)
       SELECT count(*)::int AS deleted FROM gone`,
      [conversationId, userId],
    );
    return deleted > 0;
  }
}

function toConversationRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    messageCount: Number(row.message_count),
  };
}

function toMessageRecord(row: MessageRow): ConversationMessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    agents: typeof row.agents === 'string' ? (JSON.parse(row.agents) as string[]) : row.agents,
    model: row.model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    status: row.status,
    createdAt: new Date(row.created_at),
  };
}
