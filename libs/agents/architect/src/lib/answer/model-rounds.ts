import { AIMessage, AIMessageChunk, ChatMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { WHOLE_REPLY } from './model-reply-repair.middleware';
import { ModelTextSplitter, type SplitText } from './model-text';

/**
 * The model's streamed rounds, turned into answer text and thinking (reasoning fields, `<think>`;
 * see `ModelTextSplitter`). Text a model round writes before it calls a tool ("Let me check the
 * lights.") is the model thinking aloud, not the answer: held until the round shows what it is. Dropped when tool calls
 * follow; shown once the round ends without one (the stream does not say how a round ended, so
 * that is when the next round or the turn's end comes), or once it is longer than a preamble,
 * after which the round streams on. The cost: an answer's first PREAMBLE_HOLD_CHARS come in one piece.
 */
export const PREAMBLE_HOLD_CHARS = 160;

export class ModelRounds {
  private round: unknown;
  private held = '';
  private streaming = false;
  private calledTools = false;
  private sawChunks = false;
  private text = new ModelTextSplitter();

  /** Takes one streamed message of the model; returns the answer and thinking it releases. */
  accept(message: BaseMessage, metadata: Record<string, unknown> | undefined): SplitText {
    // By graph step, not message id: some servers (Ollama) reuse completion ids across rounds.
    const round = metadata?.['langgraph_step'] ?? message.id;
    if (round !== this.round) {
      const earlier = this.end();
      this.round = round;
      const now = this.accept(message, metadata);
      return { answer: earlier.answer + now.answer, thinking: earlier.thinking + now.thinking };
    }
    if (hasToolCalls(message)) {
      this.calledTools = true;
      this.held = '';
    }
    // The whole reply again after its chunks (a repaired reply has a fresh id, so LangGraph streams
    // it once more): its text was already taken from the chunks.
    if ((message.response_metadata as Record<string, unknown> | undefined)?.[WHOLE_REPLY] === true) {
      if (this.sawChunks) return { answer: '', thinking: '' };
    } else this.sawChunks = true;
    const reasoning = message.additional_kwargs?.['reasoning_content'];
    const split = this.text.push(answerText(message));
    const thinking = (typeof reasoning === 'string' ? reasoning : '') + split.thinking;
    if (this.calledTools) return { answer: '', thinking };
    if (this.streaming) return { answer: split.answer, thinking };
    this.held += split.answer;
    if (this.held.length < PREAMBLE_HOLD_CHARS) return { answer: '', thinking };
    this.streaming = true;
    return { answer: this.take(), thinking };
  }

  /** The end of the current round (or of the turn): what it still holds is the answer. */
  end(): SplitText {
    const tail = this.text.end();
    const answer = this.calledTools ? '' : this.take() + tail.answer;
    this.held = '';
    this.streaming = false;
    this.calledTools = false;
    this.sawChunks = false;
    return { answer, thinking: tail.thinking };
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

