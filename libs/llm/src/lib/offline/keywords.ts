/**
 * Word handling for the offline model's keyword rules: tokenising, dropping filler words and a light
 * suffix-stripping stem so "lights"/"light" and "automations"/"automation" meet. Hand-written because
 * the rules need only these few deterministic steps, not a full NLP stemmer.
 */

const STOPWORDS = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into onto about as than ' +
    'is are was were be been being am do does did done doing have has had having ' +
    'i me my mine myself we our ours us you your yours it its this that these those there here ' +
    'what which who whom whose when where why how can could would should will shall may might must ' +
    'please thanks thank hi hello hey some any all each every no not yes ok okay just also too very ' +
    'much many more most other up out again let lets get got give tell show want need like know ' +
    'use using used make made go going see look looking something anything everything thing things ' +
    'currently now right well really maybe kind sort'
  ).split(' '),
);

/** Lower-cased words of `text`, splitting snake_case, kebab-case and camelCase identifiers. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A crude English stem: enough to fold plurals and common verb endings together. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  return w;
}

/** Distinct stems of the meaningful words in `text` (no filler words, no bare numbers), in order. */
export function keywordStems(text: string): string[] {
  const stems = new Set<string>();
  for (const word of words(text)) {
    if (word.length < 2 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    stems.add(stem(word));
  }
  return [...stems];
}

/** Length of the common prefix two words must share to count as related ("analyse"/"analysis"). */
const RELATED_PREFIX = 5;

/** 1 for the same stem, 0.5 for words sharing a long prefix, else 0. */
export function stemSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < RELATED_PREFIX || b.length < RELATED_PREFIX) return 0;
  return a.slice(0, RELATED_PREFIX) === b.slice(0, RELATED_PREFIX) ? 0.5 : 0;
}
