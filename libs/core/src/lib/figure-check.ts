/**
 * Checks the figures a model writes against the figures it was given. Hand-written: no library
 * compares free-text numbers against a set of sources with the rounding and unit forms people use.
 *
 * A figure in the model's text is verified when some source figure, rounded to as many decimals
 * as the model wrote, equals it — also after a ×1000 / ÷1000 unit step (Wh ↔ kWh, W ↔ kW) or as a
 * percentage of a fraction. "12.3 kWh" for 12.345 passes; "12.4 kWh" does not.
 */

/** Digits with optional thousands groups and decimals, not glued to letters ("CO2", "A2A" are not figures). */
const FIGURE = /(?<![\p{L}\d.,])[-−]?\d+(?:[.,]\d+)*(?![\p{L}\d])/gu;
/** A Markdown ordered-list marker at the start of a line: numbering, not a figure. */
const LIST_MARKER = /^([ \t]*)\d+[.)](?=\s)/gm;
const UNIT_STEPS = [1, 1000, 0.001, 100];

export interface Figure {
  /** As written. */
  text: string;
  value: number;
  /** Decimals written, which is the rounding the writer chose. */
  decimals: number;
}

/** The figures in `text`, in order. */
export function figuresIn(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of text.replace(LIST_MARKER, '$1').matchAll(FIGURE)) {
    const figure = parseFigure(match[0]);
    if (figure) figures.push(figure);
  }
  return figures;
}

function parseFigure(raw: string): Figure | undefined {
  const text = raw.replace('−', '-');
  let normalized: string;
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) normalized = text.replace(/,/g, ''); // 1,234.5
  else if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(text)) normalized = text.replace(/\./g, '').replace(',', '.'); // 1.234,5
  else if (/^-?\d+,\d+$/.test(text)) normalized = text.replace(',', '.'); // 12,4 (decimal comma)
  else if (/^-?\d+(\.\d+)?$/.test(text)) normalized = text;
  else return undefined; // dates, versions, times: their parts are checked through the sources' parts
  const value = Number(normalized);
  if (!Number.isFinite(value)) return undefined;
  const decimals = normalized.includes('.') ? normalized.length - normalized.indexOf('.') - 1 : 0;
  return { text: raw, value, decimals };
}

/**
 * The figures a model may state: those of its sources (tool results, the question, the home summary).
 * A long report gives thousands of figures and the model restates most of them, so a figure is
 * looked up in the sorted source values (a binary search per unit step), not compared with each.
 */
export class FigureSources {
  private readonly values: number[] = [];
  private sorted?: Float64Array;

  constructor(texts: readonly string[] = []) {
    for (const text of texts) this.add(text);
  }

  add(text: string): void {
    for (const figure of figuresIn(text)) this.values.push(figure.value);
    // "2026-12-04", "18:00", "v1.2.3": every digit run counts on its own as well.
    for (const part of text.match(/\d+/g) ?? []) this.values.push(Number(part));
    this.sorted = undefined;
  }

  verifies(figure: Figure): boolean {
    const sorted = (this.sorted ??= Float64Array.from(this.values).sort());
    const scale = 10 ** figure.decimals;
    const written = figure.value * scale;
    // Within half a unit of the last digit written: a rounding of the source (either way at .5).
    const matches = (value: number, step: number) => Math.abs(value * step * scale - written) <= 0.5 + 1e-9;
    for (const step of UNIT_STEPS) {
      // The source values that can match lie in [lo, hi] (widened a little for floating point);
      // each candidate is then held to the exact rule above.
      const reach = (0.5 + 1e-6) / scale;
      const lo = (figure.value - reach) / step;
      const hi = (figure.value + reach) / step;
      for (let i = lowerBound(sorted, lo); i < sorted.length && sorted[i] <= hi; i++) {
        if (matches(sorted[i], step)) return true;
      }
    }
    return false;
  }

  /** The figures of `text` no source accounts for, as written. */
  unverified(text: string): string[] {
    return figuresIn(text)
      .filter((figure) => !this.verifies(figure))
      .map((figure) => figure.text);
  }
}

/** The index of the first value ≥ `target` in ascending `sorted`. */
function lowerBound(sorted: Float64Array, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
