import { parseTimeWindowHours } from '@aether/llm';

/** Longest message still read as a period-only follow-up ("and what about the last three days?"). */
const MAX_FOLLOW_UP_WORDS = 9;

/** Words such a follow-up may consist of: lead-ins and the words of a period. */
const FOLLOW_UP_WORDS = new Set([
  'and', 'but', 'ok', 'okay', 'so', 'now', 'then', 'what', 'how', 'about', 'for', 'over', 'during', 'in', 'within', 'the', 'same', 'please', 'again', 'also', 'of',
  'last', 'past', 'previous', 'prior', 'this', 'yesterday', 'today', 'tonight', 'overnight', 'morning', 'afternoon', 'evening', 'before',
  'hour', 'hours', 'h', 'day', 'days', 'd', 'night', 'nights', 'week', 'weeks', 'fortnight', 'fortnights', 'month', 'months', 'year', 'years',
  'a', 'an', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fourteen', 'twenty', 'thirty',
  'few', 'couple', 'several',
]);

/**
 * Whether a message names only a period ("and yesterday?", "what about last week?", "and the last
 * 3 days?"): a follow-up that repeats the previous question for another period, with no intent of
 * its own.
 */
export function isPeriodOnlyFollowUp(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  if (words.length === 0 || words.length > MAX_FOLLOW_UP_WORDS) return false;
  return words.every((w) => FOLLOW_UP_WORDS.has(w) || /^\d/.test(w)) && parseTimeWindowHours(text) !== undefined;
}
