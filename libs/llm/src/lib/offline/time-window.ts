import { MONTH_NAMES, type CalendarPeriod, type YearMonth } from '@aether/core';

/**
 * Reads an analysis time window ("last 7 days", "past 48 hours", "this week", "yesterday") from
 * free text, in hours. The offline model uses it to fill numeric `hours` tool arguments.
 *
 * Hand-written: date libraries (chrono & co.) resolve phrases to calendar dates relative to "now",
 * while tools here want a deterministic look-back length that does not depend on the clock.
 */

const HOURS_PER_UNIT: Record<string, number> = {
  minute: 1 / 60,
  hour: 1,
  day: 24,
  night: 24,
  week: 168,
  fortnight: 336,
  month: 720,
  year: 8760,
};

const UNIT_ALIASES: Record<string, keyof typeof HOURS_PER_UNIT> = {
  m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hr: 'hour', hrs: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
  night: 'night', nights: 'night',
  w: 'week', wk: 'week', wks: 'week', week: 'week', weeks: 'week',
  fortnight: 'fortnight', fortnights: 'fortnight',
  mo: 'month', month: 'month', months: 'month',
  y: 'year', yr: 'year', yrs: 'year', year: 'year', years: 'year',
};

const WORD_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, fourteen: 14, twenty: 20, thirty: 30, 'twenty-four': 24,
  'forty-eight': 48, couple: 2, 'a couple of': 2, 'couple of': 2, few: 3, 'a few': 3, several: 3,
};

const UNIT_PATTERN = Object.keys(UNIT_ALIASES)
  .sort((a, b) => b.length - a.length)
  .join('|');
const WORD_NUMBER_PATTERN = Object.keys(WORD_NUMBERS)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/ /g, '\\s+'))
  .join('|');
const LOOKBACK = '(?:last|past|previous|prior|over|within|in|for|during)\\s+(?:the\\s+)?';

interface WindowRule {
  pattern: RegExp;
  hours: (match: RegExpExecArray) => number | undefined;
}

const RULES: WindowRule[] = [
  // "7 days", "48h", "1.5 hours", "last 7 days"
  {
    pattern: new RegExp(`\\b(\\d+(?:\\.\\d+)?)\\s*(${UNIT_PATTERN})\\b`, 'gi'),
    hours: (m) => quantity(Number(m[1]), m[2]),
  },
  // "past two weeks", "last few days", "over a day" — word numbers need a look-back word, so
  // "twice a day" is not read as a window.
  {
    pattern: new RegExp(`\\b${LOOKBACK}(${WORD_NUMBER_PATTERN})\\s+(${UNIT_PATTERN})\\b`, 'gi'),
    hours: (m) => quantity(WORD_NUMBERS[m[1].toLowerCase().replace(/\s+/g, ' ')], m[2]),
  },
  // "last week", "past day", "last night"
  {
    pattern: /\b(?:last|past|previous|prior)\s+(hour|day|night|week|fortnight|month|year)\b/gi,
    hours: (m) => HOURS_PER_UNIT[m[1].toLowerCase()],
  },
  // Until-now windows long enough to cover the whole named period.
  { pattern: /\bday\s+before\s+yesterday\b/gi, hours: () => 72 },
  { pattern: /\byesterday\b/gi, hours: () => 48 },
  { pattern: /\b(?:today|tonight|overnight|this\s+(?:morning|afternoon|evening))\b/gi, hours: () => 24 },
  { pattern: /\bthis\s+week\b/gi, hours: () => 168 },
  { pattern: /\bthis\s+month\b/gi, hours: () => 720 },
  { pattern: /\bthis\s+year\b/gi, hours: () => 8760 },
];

function quantity(amount: number | undefined, unit: string): number | undefined {
  const canonical = UNIT_ALIASES[unit.toLowerCase()];
  if (amount === undefined || !Number.isFinite(amount) || amount <= 0 || !canonical) return undefined;
  return amount * HOURS_PER_UNIT[canonical];
}

/**
 * The first time window mentioned in `text`, in hours (may be fractional for minutes), or
 * `undefined` when the text names none. Calendar phrases map to windows that reach back far enough
 * to cover them: "today" → 24, "yesterday" → 48, "this week" → 168, "this month" → 720.
 */
export function parseTimeWindowHours(text: string): number | undefined {
  let best: { index: number; length: number; hours: number } | undefined;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
      const hours = rule.hours(match);
      if (hours === undefined) continue;
      const candidate = { index: match.index, length: match[0].length, hours };
      // Earliest mention wins; at the same position the longer phrase is the more specific one.
      if (!best || candidate.index < best.index || (candidate.index === best.index && candidate.length > best.length)) {
        best = candidate;
      }
    }
  }
  return best?.hours;
}

/** Longest message still read as a period-only follow-up ("and what about the last three days?"). */
const MAX_FOLLOW_UP_WORDS = 9;

/** Words a period-only follow-up may consist of besides the period itself. */
const FOLLOW_UP_FILLER = new Set(['and', 'but', 'ok', 'okay', 'so', 'now', 'then', 'what', 'how', 'about', 'for', 'over', 'during', 'in', 'within', 'the', 'same', 'please', 'again', 'also', 'of']);
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
 * Undefined for anything that says more than a period. Shared by the orchestrator (routing such a
 * follow-up to the previous agent) and the Architect (re-asking the previous question).
 */
export function periodOnlyFollowUpHours(text: string): number | undefined {
  const words = text.toLowerCase().match(/[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  if (words.length === 0 || words.length > MAX_FOLLOW_UP_WORDS) return undefined;
  if (!words.every((w) => FOLLOW_UP_FILLER.has(w) || PERIOD_WORDS.has(w) || /^\d/.test(w))) return undefined;
  return parseTimeWindowHours(text);
}

/**
 * Calendar periods named in a question. "last week" is the previous calendar week; "past week" or
 * "last 7 days" are rolling windows and stay with `parseTimeWindowHours`.
 */
const NAMED_PERIODS: ReadonlyArray<[RegExp, CalendarPeriod]> = [
  [/\b(?:so far )?today\b/i, 'today'],
  [/(?<!\bbefore\s)\byesterday\b/i, 'yesterday'],
  [/\bthis\s+week\b/i, 'this_week'],
  [/\blast\s+week\b/i, 'last_week'],
  [/\bthis\s+month\b/i, 'this_month'],
  [/\blast\s+month\b/i, 'last_month'],
  [/\bthis\s+year\b/i, 'this_year'],
  // "last year" is the calendar year before this one; "the last year" / "the past year" stay a rolling 12 months.
  [/(?<!\bthe\s)\blast\s+year\b/i, 'last_year'],
];

const MONTH = `(${MONTH_NAMES.join('|')})`;
/**
 * A month: "November 2025" (with its year), or "in November", "during March", "for the month of
 * May" — a bare name needs its preposition, so "may I…" or "march on" name no month.
 */
const NAMED_MONTH = new RegExp(`\\b(?:(?:in|during|for|over|of)\\s+(?:the\\s+month\\s+of\\s+)?(?:last\\s+)?${MONTH}|${MONTH}(?=\\s+\\d{4}\\b))(?:\\s+(\\d{4})\\b)?`, 'gi');

function namedMonths(query: string): CalendarPeriod[] {
  return [...query.matchAll(NAMED_MONTH)].map(([, afterPreposition, withYear, year]): CalendarPeriod => {
    const name = (afterPreposition ?? withYear).toLowerCase() as (typeof MONTH_NAMES)[number];
    if (!year) return name;
    return `${year}-${String(MONTH_NAMES.indexOf(name) + 1).padStart(2, '0')}` as YearMonth;
  });
}

/** The calendar period a question names, if exactly one (a month by name, or of a given year, included). */
export function namedCalendarPeriod(query: string): CalendarPeriod | undefined {
  const named = [...NAMED_PERIODS.filter(([pattern]) => pattern.test(query)).map(([, period]) => period), ...new Set(namedMonths(query))];
  return named.length === 1 ? named[0] : undefined;
}
