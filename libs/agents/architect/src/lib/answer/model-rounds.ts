import { AIMessage, AIMessageChunk, ChatMessageChunk, type BaseMessage } from '@langchain/core/messages';

/**
 * Text a model round writes before it calls a tool ("Let me check the lights.") is the model
 * thinking aloud, not the answer: held until the round shows what it is. Dropped when tool calls
 * follow; shown once the round ends without one, or once it is longer than a preamble, after
 * which the round streams on. The cost: an answer's first PREAMBLE_HOLD_CHARS come in one piece.
 */
export const PREAMBLE_HOLD_CHARS = 160;

export class ModelRounds {
  private round: unknown;
  private held = '';
  private streaming = false;
  private calledTools = false;

  /** Takes one streamed message of the model; returns the answer text it releases (possibly ''). */
  accept(message: BaseMessage, metadata: Record<string, unknown> | undefined): string {
    // By graph step, not message id: some servers (Ollama) reuse completion ids across rounds.
    const round = metadata?.['langgraph_step'] ?? message.id;
    if (round !== this.round) {
      const earlier = this.end();
      this.round = round;
      return earlier + this.accept(message, metadata);
    }
    if (hasToolCalls(message)) {
      this.calledTools = true;
      this.held = '';
      return '';
    }
    if (this.calledTools) return '';
    const text = answerText(message);
    if (this.streaming) return text;
    this.held += text;
    const finish = (message.response_metadata as { finish_reason?: unknown } | undefined)?.finish_reason;
    if (this.held.length < PREAMBLE_HOLD_CHARS && !(typeof finish === 'string' && finish !== 'tool_calls')) return '';
    this.streaming = true;
    return this.take();
  }

  /** The end of the current round (or of the turn): what it still holds is the answer. */
  end(): string {
    const text = this.calledTools ? '' : this.take();
    this.streaming = false;
    this.calledTools = false;
    return text;
  }

  private take(): string {
    const text = this.held;
    this.held = '';
    return text;
  }
}

function hasToolCalls(message: BaseMessage): boolean {
  if (AIMessageChunk.isInstance(message)) return (message.tool_call_chunks?.length ?? 0) > 0 || (message.tool_calls?.length ?? 0) > 0;
  return AIMessage.isInstance(message) && (message.tool_calls?.length ?? 0) > 0;
}

/**
 * The user-visible text of a streamed message: AI text only. Tool results are not the answer, and
 * text that arrives together with tool-call chunks is the model thinking aloud before a tool call
 * (the original Architect dropped it too); see `ModelRounds` for the text that comes before them.
 */
export function answerText(message: BaseMessage): string {
  // Some OpenAI-compatible servers omit `role` in streamed deltas; LangChain then yields generic
  // ChatMessageChunks for what is still the assistant's answer.
  if (ChatMessageChunk.isInstance(message) && (message.role === undefined || message.role === 'assistant')) {
    return message.text;
  }
  if (AIMessageChunk.isInstance(message)) {
    if ((message.tool_call_chunks?.length ?? 0) > 0 || (message.tool_calls?.length ?? 0) > 0) return '';
    return message.text;
  }
  if (AIMessage.isInstance(message)) {
    return (message.tool_calls?.length ?? 0) > 0 ? '' : message.text;
  }
  return '';
}

