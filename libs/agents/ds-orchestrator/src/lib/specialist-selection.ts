export const SPECIALISTS = ['behavioral', 'diagnostic', 'energy'] as const;
export type Specialist = (typeof SPECIALISTS)[number];

export function isSpecialist(value: unknown): value is Specialist {
  return typeof value === 'string' && (SPECIALISTS as readonly string[]).includes(value);
}

/** Words that call for each specialist (the original Aether's routing sets). */
export const SPECIALIST_KEYWORDS: Readonly<Record<Specialist, ReadonlySet<string>>> = {
  energy: new Set(['energy', 'power', 'consumption', 'solar', 'battery', 'batteries', 'kwh', 'cost', 'costs', 'watt', 'watts', 'grid', 'peak', 'tariff', 'electricity']),
  behavioral: new Set([
    'pattern', 'patterns', 'behavior', 'behaviour', 'routine', 'routines', 'habit', 'habits', 'automation', 'automations', 'scene', 'scenes',
    'script', 'scripts', 'usage', 'schedule', 'schedules', 'occupancy', 'manual', 'trigger', 'triggers', 'frequency', 'gap', 'gaps',
  ]),
  diagnostic: new Set([
    'error', 'errors', 'unavailable', 'broken', 'offline', 'health', 'diagnose', 'diagnosis', 'troubleshoot', 'fix', 'issue', 'issues',
    'problem', 'problems', 'integration', 'integrations', 'sensor', 'sensors', 'unreliable',
  ]),
};

/**
 * Which specialists answer a question: an explicit list (its valid entries) wins; otherwise every
 * specialist whose keywords appear in the question; with no match, all of them. Sorted by name.
 */
export function selectSpecialists(query: string, explicit?: unknown): Specialist[] {
  if (Array.isArray(explicit)) {
    const requested = SPECIALISTS.filter((s) => explicit.includes(s));
    if (requested.length > 0) return requested;
  }
  const words = new Set(query.toLowerCase().match(/[a-z]+/g) ?? []);
  const matched = SPECIALISTS.filter((s) => [...SPECIALIST_KEYWORDS[s]].some((keyword) => words.has(keyword)));
  return matched.length > 0 ? matched : [...SPECIALISTS];
}
