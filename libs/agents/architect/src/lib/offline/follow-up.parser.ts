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
