import type { ChatTurn } from '@aether/core';
import { ConversationNotFoundError, ConversationStore } from '@aether/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { OpenAiApiException } from '../errors/openai-error';
import { toOpenAiError } from '../errors/to-openai-error';
import { conversationOpening, newConversationId } from '../chat/conversation-id';
import type { CompletionUsage } from '../chat/token-estimate';
import type { AnswerTrail } from './answer-trail';
import { conversationNotFound } from './conversation-not-found';
import { readConversations } from './conversation-store-unavailable';

/** How many stored turns a follow-up brings along (the agents trim further to their own budgets). */
export const HISTORY_TURNS = 20;

export interface ConversationTurnKey {
  conversationId: string;
  userId: string;
}

/** Which conversation a request belongs to, and what to record so a resent history finds it again. */
export interface ConversationIdentity {
  conversationId: string;
  /** The client named it (`conversation_id`, `metadata.conversation_id`, a conversation id header). */
  namedByClient: boolean;
  /** Known now (the client sent the first exchange): recorded with the question. */
  opening?: string;
  /** The opening's question, when its answer is the one being written: recorded with that answer. */
  openingQuestion?: string;
}

export interface FinishedAnswer {
  trail: AnswerTrail;
  model: string;
  usage: CompletionUsage;
  /** Set when the answer failed; its OpenAI error message is stored as the content. */
  error?: unknown;
  /** The conversation's opening, when this answer completes its first exchange. */
  opening?: string;
}

/**
 * The gateway's side of conversation memory: which earlier turns the agents see, and recording
 * every question and answer in the `ConversationStore`.
 *
 * Failure policy — the store is a record, the answer is what the user came for:
 * - Writing: a failed write is logged as an error (with the conversation id, so the gap can be
 *   found) and the user is still answered. Losing one stored turn is better than losing the answer.
 * - Reading history: fails the request with a 503 `conversation_store_unavailable`. The only time
 *   history is read is a follow-up that relies on it ("and yesterday?"); answering it without its
 *   context would be a confident wrong answer, while a 503 tells the client to retry.
 */
@Injectable()
export class ConversationMemory {
  private readonly logger = new Logger('ConversationMemory');

  constructor(private readonly store: ConversationStore) {}

  /**
   * Which conversation a request belongs to. Named by the client → that one. Otherwise a request
   * whose only turn is the new question opens a new conversation (a random id; its opening is
   * recorded with the first answer), and a resent history is mapped to the caller's conversation
   * with the same first exchange (first user message and first answer) — or, if there is none,
   * to a new one that records it. Never by the first message alone: every chat opening with
   * "What lights are on?" would be one conversation. A store that cannot be read here only costs
   * the grouping (a new id); the client sent its history, so the answer does not depend on it.
   */
  async identify(named: string | undefined, clientHistory: readonly ChatTurn[], question: string, userId: string): Promise<ConversationIdentity> {
    if (named !== undefined) return { conversationId: named, namedByClient: true };
    const turns = [...clientHistory.filter((turn) => turn.role !== 'system'), { role: 'user' as const, content: question }];
    const first = turns.findIndex((turn) => turn.role === 'user');
    const firstQuestion = turns[first].content;
    const firstAnswer = turns.slice(first + 1).find((turn) => turn.role === 'assistant');
    if (!firstAnswer) return { conversationId: newConversationId(), namedByClient: false, openingQuestion: firstQuestion };
    const opening = conversationOpening(firstQuestion, firstAnswer.content);
    let found: string | undefined;
    try {
      found = await this.store.findByOpening(userId, opening);
    } catch (error) {
      this.logger.warn(
        `could not look up the conversation of a resent history (user ${userId}); it is stored as a new conversation: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return { conversationId: newConversationId(), namedByClient: false };
    }
    return found ? { conversationId: found, namedByClient: false } : { conversationId: newConversationId(), namedByClient: false, opening };
  }

  /**
   * The history for the agents. Turns the client sent are authoritative (OpenAI-style clients such
   * as Open WebUI resend the whole conversation, and may have edited it). Stored turns are used
   * when the client named the conversation (`conversation_id`) and sent only the new message;
   * without `conversation_id` a lone message opens a conversation, so there is nothing to recall.
   * The client's system messages come first either way.
   *
   * Returns the stored turns that were added (empty when none were), so usage can count them.
   */
  async resolveHistory(
    clientHistory: readonly ChatTurn[],
    key: ConversationTurnKey,
    namedByClient: boolean,
  ): Promise<{ history: ChatTurn[]; recalled: ChatTurn[] }> {
    const clientSentTurns = clientHistory.some((turn) => turn.role !== 'system');
    if (clientSentTurns || !namedByClient) return { history: [...clientHistory], recalled: [] };
    const recalled = await readConversations('reading the conversation history', () =>
      this.store.history(key.conversationId, key.userId, HISTORY_TURNS),
    );
    return { history: [...clientHistory, ...recalled], recalled };
  }

  /**
   * Stores the user's message. Called once the request is accepted, before any agent runs. A
   * `conversation_id` that belongs to another caller is refused with a 404, as reading it would be.
   */
  async rememberQuestion(key: ConversationTurnKey, content: string, opening?: string): Promise<void> {
    await this.write(key, 'the user message', async () => {
      try {
        await this.store.append({ ...key, role: 'user', content, ...(opening ? { opening } : {}) });
      } catch (error) {
        if (error instanceof ConversationNotFoundError) throw conversationNotFound(key.conversationId, 'conversation_id');
        throw error;
      }
    });
  }

  /** Stores the answer as it ended: complete, or failed with the error the client was given. */
  async rememberAnswer(key: ConversationTurnKey, answer: FinishedAnswer): Promise<void> {
    const failed = answer.error !== undefined;
    await this.write(key, 'the assistant message', () =>
      this.store.append({
        ...key,
        role: 'assistant',
        content: failed ? toOpenAiError(answer.error).body.error.message : answer.trail.text,
        agents: answer.trail.agents,
        model: answer.model,
        promptTokens: answer.usage.prompt_tokens,
        completionTokens: answer.usage.completion_tokens,
        status: failed ? 'failed' : 'complete',
        ...(answer.opening && !failed ? { opening: answer.opening } : {}),
      }),
    );
  }

  private async write(key: ConversationTurnKey, what: string, append: () => Promise<unknown>): Promise<void> {
    try {
      await append();
    } catch (error) {
      if (error instanceof OpenAiApiException) throw error;
      // Deliberately swallowed after logging: see the failure policy above.
      this.logger.error(
        `LOST ${what} of conversation ${key.conversationId} (user ${key.userId}): the conversation store failed: ${
          error instanceof Error ? error.message : String(error)
        }. The user was still answered.`,
        error instanceof Error ? error.stack : undefined,
      );
    }
  }
}
