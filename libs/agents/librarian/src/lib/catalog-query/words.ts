/** Words that carry no meaning in a catalog search ("the lights in my kitchen" → lights, kitchen). */
const STOP_WORDS = new Set([
  'a', 'all', 'an', 'and', 'any', 'are', 'at', 'do', 'does', 'for', 'have', 'i', 'in', 'is', 'me', 'my', 'of', 'on', 'or',
  'show', 'the', 'there', 'to', 'what', 'which', 'with',
]);

/** Search words of a free-text query: lower-case, without stop words, plural `s` dropped. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_.]+/u)
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word))
    .map(singular);
}

/** "lights" → "light", "switches" → "switch": entity ids and names use the singular. */
export function singular(word: string): string {
  if (word.length > 4 && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}
