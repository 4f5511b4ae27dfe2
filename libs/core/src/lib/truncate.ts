import { toStorableText } from './text';

const ELLIPSIS = '…';

// Splits on user-perceived characters, so a cut never separates an emoji's surrogate pair, a
// ZWJ family, a flag's two regional indicators or a letter from its combining accent.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens text for titles, event previews and logs, marking the cut with `…`. The result is at
 * most `max` UTF-16 units, made of whole grapheme clusters of the (storable, see `toStorableText`)
 * input, so it is always valid UTF-16 and safe to store.
 */
export function truncate(text: string, max: number): string {
  const storable = toStorableText(text);
  if (storable.length <= max) return storable;
  if (max < ELLIPSIS.length) return '';
  const budget = max - ELLIPSIS.length;
  let end = 0;
  // The segmenter is lazy: only the graphemes up to the cut are visited, however long the text.
  for (const { index, segment } of graphemes.segment(storable)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  return `${storable.slice(0, end)}${ELLIPSIS}`;
}
