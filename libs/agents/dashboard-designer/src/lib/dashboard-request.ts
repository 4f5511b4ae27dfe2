/** What a dashboard request asks for: a topic, or one area of the home (named as the catalog names it). */
export type DashboardSubject = { topic: 'energy' | 'security' | 'climate' } | { topic: 'area'; area: string };

const TOPIC_WORDS: ReadonlyArray<{ topic: 'energy' | 'security' | 'climate'; pattern: RegExp }> = [
  { topic: 'energy', pattern: /\b(?:energy|electricity|power|solar|consumption|kwh)\b/ },
  { topic: 'security', pattern: /\b(?:security|locks?|alarms?|doors?|safety)\b/ },
  { topic: 'climate', pattern: /\b(?:climate|temperatures?|heating|thermostats?|humidity)\b/ },
];

/**
 * Reads "Design a dashboard for my energy" / "… for the living room" / "a security dashboard":
 * an area the home has wins over a topic word ("the garage doors" is the garage), since a room
 * named in the request is the most specific thing in it; undefined when it names neither.
 */
export function readDashboardRequest(message: string, areas: readonly string[]): DashboardSubject | undefined {
  const text = ` ${message.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  // Longest names first: "living room" before "room".
  const area = [...areas].sort((a, b) => b.length - a.length).find((name) => text.includes(` ${name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `));
  if (area) return { topic: 'area', area };
  const topic = TOPIC_WORDS.find(({ pattern }) => pattern.test(text));
  return topic ? { topic: topic.topic } : undefined;
}
