import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';

export interface ToolResult {
  toolName: string;
  content: string;
  failed: boolean;
}

/** Index of the last message from the user, or -1. */
export function lastHumanIndex(messages: readonly BaseMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (HumanMessage.isInstance(messages[i])) return i;
  }
  return -1;
}

/** The text of the user's latest message ('' when there is none). */
export function lastUserText(messages: readonly BaseMessage[]): string {
  const index = lastHumanIndex(messages);
  return index < 0 ? '' : messages[index].text;
}

/**
 * Tool results produced since the user's latest message, in order, each named after the tool call
 * it answers.
 */
export function toolResultsOfTurn(messages: readonly BaseMessage[]): ToolResult[] {
  const turn = messages.slice(lastHumanIndex(messages) + 1);
  const toolNames = new Map<string, string>();
  for (const message of turn) {
    if (!AIMessage.isInstance(message)) continue;
    for (const call of message.tool_calls ?? []) {
      if (call.id) toolNames.set(call.id, call.name);
    }
  }
  return turn
    .filter((message): message is ToolMessage => ToolMessage.isInstance(message))
    .map((message) => ({
      toolName: message.name ?? toolNames.get(message.tool_call_id) ?? 'tool',
      content: message.text,
      failed: message.status === 'error',
    }));
}
