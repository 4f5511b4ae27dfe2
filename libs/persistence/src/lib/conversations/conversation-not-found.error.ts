/** The conversation does not exist for this user (another user's conversation is "not found" too). */
export class ConversationNotFoundError extends Error {
  constructor(readonly conversationId: string) {
    super(`Conversation ${conversationId} not found`);
    this.name = 'ConversationNotFoundError';
  }
}

/** A `before` cursor that is not a message of the conversation. */
export class MessageCursorError extends Error {
  constructor(readonly before: string) {
    super(`No message ${before} in this conversation`);
    this.name = 'MessageCursorError';
  }
}
