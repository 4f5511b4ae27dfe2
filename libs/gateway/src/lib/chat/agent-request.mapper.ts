import type { AgentRequest, ChatTurn } from '@aether/core';
import { messageText, type ChatCompletionRequest, type ChatMessage } from './chat-completion-request.schema';

export interface RequestOrigin {
  /** Caller identity from authentication. */
  userId: string;
  /** The model that will answer (the requested one, or the default). */
  model: string;
  /** The conversation this turn belongs to (named by the client or resolved by the gateway). */
  conversationId: string;
}


function toTurn(message: ChatMessage): ChatTurn | undefined {
  const content = messageText(message);
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content };
    case 'user':
      return { role: 'user', content };
    case 'assistant':
      // Assistant turns that only carried tool calls have nothing to remember.
      return content ? { role: 'assistant', content } : undefined;
    case 'tool':
      // Aether's agents run their own tools; client-side tool results have no place in their history.
      return undefined;
  }
}

/**
 * Maps an OpenAI chat request to the top agent's request: the last user message is the turn, the
 * turns before it are history. The request is assumed validated (it has a user message).
 */
export function toAgentRequest(request: ChatCompletionRequest, origin: RequestOrigin): AgentRequest {
  const { messages } = request;
  const lastUserIndex = messages.findLastIndex((m) => m.role === 'user');
  if (lastUserIndex < 0) throw new Error('chat request without a user message');

  const history = messages
    .slice(0, lastUserIndex)
    .map(toTurn)
    .filter((turn): turn is ChatTurn => turn !== undefined);

  return {
    message: messageText(messages[lastUserIndex]),
    history,
    context: {
      conversationId: origin.conversationId,
      userId: origin.userId,
      model: origin.model,
    },
  };
}
