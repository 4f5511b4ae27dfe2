import type { EntityStates } from './entity-states';
import type { FigureSources } from '@aether/core';

/** Where a piece of text may be released: after a line break, or after a sentence's end and its space. */
const BOUNDARY = /(?:\n|[.!?:;](?=\s))\s*/g;

/**
 * The model's answer on its way to the user, released a sentence (or line) at a time once every
 * figure in it is verified against the sources and no entity state it claims contradicts the
 * tools' (see `EntityStates`). The first sentence that fails is withheld, and so is everything
 * after it: a wrong figure or state never reaches the user, and what follows it may build on it.
 */
export class CheckedAnswer {
  private pending = '';
  private shown = '';
  private rejected?: string[];
  private contradicted?: string[];

  constructor(
    private readonly sources: FigureSources,
    private readonly states?: EntityStates,
  ) {}

  /** Everything released so far. */
  get released(): string {
    return this.shown;
  }

  /** Whether the rest of the answer was withheld (see `unverifiedFigures`, `contradictedStates`). */
  get withheld(): boolean {
    return this.rejected !== undefined;
  }

  /** The figures that stopped the answer, as written; undefined while every figure checked out. */
  get unverifiedFigures(): string[] | undefined {
    return this.rejected?.length ? this.rejected : undefined;
  }

  /** The state claims that stopped the answer (see `EntityStates.contradictions`); undefined when none did. */
  get contradictedStates(): string[] | undefined {
    return this.contradicted?.length ? this.contradicted : undefined;
  }

  /** Takes the next piece of the answer; returns what may be shown now (possibly ''). */
  push(text: string): string {
    if (this.rejected) return '';
    this.pending += text;
    let end = 0;
    // A figure never spans a boundary: "12." only ends a sentence once whitespace follows it.
    for (const match of this.pending.matchAll(BOUNDARY)) end = match.index + match[0].length;
    return end > 0 ? this.release(end) : '';
  }

  /** The end of the answer: checks and returns what is still held. */
  finish(): string {
    return this.rejected ? '' : this.release(this.pending.length);
  }

  /** Releases `pending` up to `end`, sentence by sentence, stopping at the first unverified one. */
  private release(end: number): string {
    const piece = this.pending.slice(0, end);
    this.pending = this.pending.slice(end);
    let shown = '';
    for (const sentence of sentencesOf(piece)) {
      const unverified = this.sources.unverified(sentence);
      const contradicted = this.states?.contradictions(sentence) ?? [];
      if (unverified.length > 0 || contradicted.length > 0) {
        this.rejected = unverified;
        this.contradicted = contradicted;
        this.pending = '';
        break;
      }
      shown += sentence;
    }
    this.shown += shown;
    return shown;
  }
}

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    sentences.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}
