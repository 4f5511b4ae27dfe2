import { createHash, randomUUID } from 'node:crypto';

/**
 * Request headers that name the conversation, in order of preference: Aether's own (it is also the
 * response header, so a client can echo it), and Open WebUI's forwarded chat id
 * (`ENABLE_FORWARD_USER_INFO_HEADERS`).
 */
export const CONVERSATION_ID_REQUEST_HEADERS = ['x-aether-conversation-id', 'x-openwebui-chat-id'] as const;

/** A conversation the client did not name: a fresh random id, never derived from what was said. */
export function newConversationId(): string {
  return randomUUID();
}

/**
 * The fingerprint of a conversation's first exchange — its first user message and the first answer.
 * A client that resends the whole history without an id (Open WebUI) is mapped back to its
 * conversation by it: two chats that open with the same question differ in their answers (with a
 * language model), and the first message alone would merge every chat that starts with "hi".
 * Stored per user, so the caller need not be part of it.
 */
export function conversationOpening(firstUserMessage: string, firstAnswer: string): string {
  return createHash('sha256').update(JSON.stringify([firstUserMessage, firstAnswer]), 'utf8').digest('hex');
}
