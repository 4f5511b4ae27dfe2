import { parseTimeWindowHours } from '@aether/llm';

/** Longest message still read as a period-only follow-up ("and what about the last three days?"). */
const MAX_FOLLOW_UP_WORDS = 9;

/** Words a period-only follow-up may consist of besides the period itself. */
const FILLER = new Set(['and', 'but', 'ok', 'okay', 'so', 'now', 'then', 'what', 'how', 'about', 'for', 'over', 'during', 'in', 'within', 'the', 'same', 'please', 'again', 'also', 'of']);
/** Words that make up a period ("the last 3 days", "the day before yesterday", "this week"). */
const PERIOD_WORDS = new Set([
  'last', 'past', 'previous', 'prior', 'this', 'yesterday', 'today', 'tonight', 'overnight', 'morning', 'afternoon', 'evening', 'before',
  'hour', 'hours', 'h', 'day', 'days', 'd', 'night', 'nights', 'week', 'weeks', 'fortnight', 'fortnights', 'month', 'months', 'year', 'years',
  'a', 'an', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fourteen', 'twenty', 'thirty',
  'few', 'couple', 'several',
]);

/**
 * The window, in hours, of a message that names only a period ("and yesterday?", "what about last
 * week?", "and the last 3 days?") — a follow-up that repeats the previous question for a new period.
 * Undefined for anything that says more than a period.
 */
export function periodOnlyFollowUpHours(text: string): number | undefined {
  const words = text.toLowerCase().match(/[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  if (words.length === 0 || words.length > MAX_FOLLOW_UP_WORDS) return undefined;
  if (!words.every((w) => FILLER.has(w) || PERIOD_WORDS.has(w) || /^\d/.test(w))) return undefined;
  return parseTimeWindowHours(text);
}

/** The period a follow-up names, without its lead-in: "what about last week?" → "last week". */
export function followUpPeriodText(text: string): string {
  return text
    .trim()
    .replace(/[?.!]+$/, '')
    .replace(/^(?:(?:and|but|ok(?:ay)?|so|now)\s+)?(?:(?:what|how)\s+about\s+)?(?:(?:for|over|during|in)\s+)?/i, '')
    .trim();
}

const TIME_PHRASE =
  /\s*\b(?:(?:over|in|for|during|within)\s+)?(?:the\s+)?(?:(?:last|past|previous|prior)\s+(?:\d+(?:\.\d+)?\s*|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|thirty|few|couple\s+of|several)\s+)?(?:hours?|days?|nights?|weeks?|fortnights?|months?|years?)|(?:the\s+)?(?:day\s+before\s+)?yesterday|today|tonight|this\s+(?:morning|afternoon|evening|week|month|year)|\d+(?:\.\d+)?\s*(?:h|hours?|days?|weeks?|months?))\b/gi;

/** A question without the period it names: "Analyze my energy usage over the last 7 days" → "Analyze my energy usage". */
export function withoutTimeWindow(question: string): string {
  return question.replace(TIME_PHRASE, '').replace(/\s+([?.!,])/g, '$1').replace(/\s{2,}/g, ' ').replace(/[?.!]+$/, '').trim();
}
