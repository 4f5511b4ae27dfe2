import { CHARS_PER_TOKEN } from './token-estimate';

export interface AnswerLimits {
  /** `max_tokens` / `max_completion_tokens`, counted as `usage.completion_tokens` counts them. */
  maxTokens?: number;
  /** `stop`: the answer ends before the first of these. */
  stop: readonly string[];
}

/**
 * Applies `max_tokens` and `stop` to an answer as it streams: text passes through until a stop
 * sequence appears (cut before it) or the token budget is spent (cut there, `finish_reason:
 * "length"`). A tail that could be the start of a stop sequence is held back until the next piece
 * shows whether it is one, so a stop sequence split across tokens is never half sent.
 */
export class AnswerLimiter {
  /** Set once the answer was cut: `length` by the budget, `stop` by a stop sequence. */
  cutBy?: 'length' | 'stop';
  private readonly maxChars?: number;
  private sent = 0;
  private held = '';

  constructor(private readonly limits: AnswerLimits) {
    // `estimateTokens` is ceil(chars / 4): this many characters never count as more than maxTokens.
    this.maxChars = limits.maxTokens !== undefined ? limits.maxTokens * CHARS_PER_TOKEN : undefined;
  }

  get done(): boolean {
    return this.cutBy !== undefined;
  }

  /** The finish reason of the answer so far: `length` only when the budget cut it. */
  get finishReason(): 'stop' | 'length' {
    return this.cutBy === 'length' ? 'length' : 'stop';
  }

  /** The part of `text` (with anything held back before it) that may be sent now. */
  push(text: string): string {
    if (this.done || !text) return '';
    const buffer = this.held + text;
    this.held = '';
    const at = this.firstStop(buffer);
    if (at >= 0) {
      const before = this.budget(buffer.slice(0, at));
      this.cutBy ??= 'stop';
      return before;
    }
    const hold = this.stopPrefixLength(buffer);
    this.held = buffer.slice(buffer.length - hold);
    return this.budget(buffer.slice(0, buffer.length - hold));
  }

  /** At the end of the answer: what was held back (it turned out not to be a stop sequence). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return this.done ? '' : this.budget(rest);
  }

  /** Applies the whole-answer version: for answers that arrive in one piece. */
  apply(text: string): string {
    return this.push(text) + this.flush();
  }

  private budget(text: string): string {
    if (this.maxChars === undefined || this.sent + text.length <= this.maxChars) {
      this.sent += text.length;
      return text;
    }
    let cut = text.slice(0, this.maxChars - this.sent);
    // Never end on half a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    this.sent += cut.length;
    this.cutBy = 'length';
    return cut;
  }

  private firstStop(buffer: string): number {
    let first = -1;
    for (const stop of this.limits.stop) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  /** Length of the longest end of `buffer` that is the beginning of a stop sequence. */
  private stopPrefixLength(buffer: string): number {
    let longest = 0;
    for (const stop of this.limits.stop) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
