import { Logger } from '@nestjs/common';
import { OpenAiApiException } from '../errors/openai-error';

const logger = new Logger('ConversationStore');

/**
 * Runs a read of conversation memory whose result the caller cannot do without. A store failure
 * becomes a 503 OpenAI error that says what is down (clients retry on 503), not an opaque 500; the
 * cause is logged with its stack.
 */
export async function readConversations<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof OpenAiApiException) throw error;
    logger.error(`conversation store failed while ${what}: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
    throw new OpenAiApiException(503, {
      message: `Conversation memory is unavailable right now (its database did not answer while ${what}). Please retry shortly.`,
      type: 'server_error',
      code: 'conversation_store_unavailable',
    });
  }
}
