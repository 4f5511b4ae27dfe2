import { createHash } from 'node:crypto';

/**
 * A stable conversation id for clients that do not send `conversation_id`. Clients such as
 * Open WebUI resend the whole history on every turn, so the first user message identifies the
 * conversation. The caller's identity is hashed in too, so two users who open with the same words
 * ("hi") never share a conversation.
 *
 * The digest is shaped as an RFC 9562 version-8 (custom) UUID, since it is neither random (v4)
 * nor a namespace hash (v5).
 */
export function deriveConversationId(userId: string, firstUserMessage: string): string {
  const hex = createHash('sha256').update(`${userId}\n${firstUserMessage}`, 'utf8').digest('hex');
  const version = `8${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${hex.slice(20, 32)}`;
}
