import { ConversationStore, MessageCursorError, type ConversationRecord } from '@aether/persistence';
import { Controller, Delete, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { OpenAiApiException } from '../errors/openai-error';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { requireSafeId } from '../http/safe-id';
import { parseConversationListQuery, parseConversationMessagesQuery } from './conversation-list-query.schema';
import {
  toConversationObject,
  toConversationWithMessagesObject,
  type ConversationDeletedObject,
  type ConversationListObject,
  type ConversationWithMessagesObject,
} from './conversation-objects';
import { conversationNotFound } from './conversation-not-found';
import { readConversations } from './conversation-store-unavailable';

/** Page size used to find an `after` cursor in the store, which pages by offset. */
const CURSOR_SCAN_PAGE = 100;

/**
 * The caller's conversation memory: list, read (with messages), delete. Every call is scoped to
 * the authenticated caller; another caller's conversation is indistinguishable from a missing one.
 */
@Controller(GATEWAY_ROUTE_PREFIXES)
@UseGuards(ApiKeyGuard)
export class ConversationsController {
  constructor(private readonly store: ConversationStore) {}

  @Get('conversations')
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerIdentity): Promise<ConversationListObject> {
    const page = parseConversationListQuery(query);
    const offset = page.after === undefined ? page.offset : await this.offsetAfter(page.after, caller.userId);
    // One more than asked tells whether another page exists.
    const records = await readConversations('listing conversations', () =>
      this.store.list(caller.userId, { limit: page.limit + 1, offset }),
    );
    const data = records.slice(0, page.limit).map(toConversationObject);
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: records.length > page.limit };
  }

  /** The conversation with one page of messages: the newest `limit`, or those before `before`. */
  @Get('conversations/:id')
  async retrieve(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Caller() caller: CallerIdentity,
  ): Promise<ConversationWithMessagesObject> {
    requireSafeId(id, 'id');
    const page = parseConversationMessagesQuery(query);
    const conversation = await readConversations('reading a conversation', async () => {
      try {
        return await this.store.get(id, caller.userId, page);
      } catch (error) {
        if (!(error instanceof MessageCursorError)) throw error;
        throw OpenAiApiException.invalidRequest(`Invalid value for 'before': no message with id '${page.before}' in this conversation.`, 'before', 'invalid_value');
      }
    });
    if (!conversation) throw conversationNotFound(id, 'id');
    return toConversationWithMessagesObject(conversation);
  }

  @Delete('conversations/:id')
  async remove(@Param('id') id: string, @Caller() caller: CallerIdentity): Promise<ConversationDeletedObject> {
    requireSafeId(id, 'id');
    const deleted = await readConversations('deleting a conversation', () => this.store.delete(id, caller.userId));
    if (!deleted) throw conversationNotFound(id, 'id');
    return { id, object: 'conversation.deleted', deleted: true };
  }

  /** The offset just past conversation `after` in the caller's list; an unknown cursor is a 400. */
  private async offsetAfter(after: string, userId: string): Promise<number> {
    for (let offset = 0; ; offset += CURSOR_SCAN_PAGE) {
      const page: ConversationRecord[] = await readConversations('listing conversations', () =>
        this.store.list(userId, { limit: CURSOR_SCAN_PAGE, offset }),
      );
      const index = page.findIndex((c) => c.id === after);
      if (index >= 0) return offset + index + 1;
      if (page.length < CURSOR_SCAN_PAGE) {
        throw OpenAiApiException.invalidRequest(`Invalid value for 'after': no conversation with id '${after}'.`, 'after', 'invalid_value');
      }
    }
  }
}
