/**
 * Splits the streamed text of one model round into the answer and the model's thinking. Open
 * models put both in `content`: reasoning in `<think>…</think>` (DeepSeek-R1, Qwen3), and tool calls
 * written as text when their server does not parse them (`<tool_call>…</tool_call>` of Hermes and
 * Qwen, `[TOOL_CALLS]…` of Mistral, `<|python_tag|>…` of Llama 3.1). Thinking is returned as such;
 * tool calls written as text are never shown (`textToolCalls` turns them into real ones).
 * Hand-written: a tag may be split across any two chunks, which no parser for whole texts handles.
 */
const HIDDEN_BLOCKS = [
  { open: '<think>', close: '</think>', thinking: true },
  { open: '<tool_call>', close: '</tool_call>', thinking: false },
] as const;
/** After these, the rest of the round is a tool call. */
const TOOL_CALL_PREFIXES = ['[TOOL_CALLS]', '<|python_tag|>'];
const MARKERS = [...HIDDEN_BLOCKS.map((b) => b.open), ...TOOL_CALL_PREFIXES];

export interface SplitText {
  answer: string;
  thinking: string;
}

export class ModelTextSplitter {
  private held = '';
  private inside?: (typeof HIDDEN_BLOCKS)[number];
  private toolCallRest = false;

  push(text: string): SplitText {
    this.held += text;
    const out: SplitText = { answer: '', thinking: '' };
    while (this.held) {
      if (this.toolCallRest) {
        this.held = '';
        break;
      }
      if (this.inside) {
        const end = this.held.indexOf(this.inside.close);
        const upTo = end >= 0 ? end : safeLength(this.held, this.inside.close);
        if (this.inside.thinking) out.thinking += this.held.slice(0, upTo);
        if (end < 0) {
          this.held = this.held.slice(upTo);
          break;
        }
        this.held = this.held.slice(end + this.inside.close.length);
        this.inside = undefined;
        continue;
      }
      const next = MARKERS.map((marker) => ({ marker, at: this.held.indexOf(marker) }))
        .filter((found) => found.at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) {
        const upTo = Math.min(...MARKERS.map((marker) => safeLength(this.held, marker)));
        out.answer += this.held.slice(0, upTo);
        this.held = this.held.slice(upTo);
        break;
      }
      out.answer += this.held.slice(0, next.at);
      this.held = this.held.slice(next.at + next.marker.length);
      const block = HIDDEN_BLOCKS.find((b) => b.open === next.marker);
      if (block) this.inside = block;
      else this.toolCallRest = true;
    }
    return out;
  }

  /** The end of the round: a tag that never completed was text after all. */
  end(): SplitText {
    const rest = this.held;
    const wasInside = this.inside;
    this.held = '';
    this.inside = undefined;
    this.toolCallRest = false;
    if (wasInside) return { answer: '', thinking: wasInside.thinking ? rest : '' };
    return { answer: rest, thinking: '' };
  }
}

/** How much of `text` can go: all of it but a tail that could be the start of `marker`. */
function safeLength(text: string, marker: string): number {
  for (let keep = Math.min(marker.length - 1, text.length); keep > 0; keep--) {
    if (marker.startsWith(text.slice(text.length - keep))) return text.length - keep;
  }
  return text.length;
}
