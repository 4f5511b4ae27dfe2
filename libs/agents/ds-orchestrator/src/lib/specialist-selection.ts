import { CUSTOM_ANALYSIS_KEYWORDS, SPECIALISTS, type Specialist } from '@aether/core';

export type { Specialist } from '@aether/core';

/** Words that call for each specialist (the original Aether's routing sets). */
export const SPECIALIST_KEYWORDS: Readonly<Record<Specialist, ReadonlySet<string>>> = {
  energy: new Set(['energy', 'power', 'consumption', 'solar', 'battery', 'batteries', 'kwh', 'cost', 'costs', 'watt', 'watts', 'grid', 'peak', 'tariff', 'electricity']),
  behavioral: new Set([
    'pattern', 'patterns', 'behavior', 'behaviour', 'routine', 'routines', 'habit', 'habits', 'automation', 'automations', 'scene', 'scenes',
    'script', 'scripts', 'usage', 'schedule', 'schedules', 'occupancy', 'manual', 'trigger', 'triggers', 'frequency', 'gap', 'gaps',
    // Beyond the original's set: how people ask what to automate ("What could I automate?", "… switch on by hand?").
    'automate', 'manually', 'hand',
  ]),
  diagnostic: new Set([
    'error', 'errors', 'unavailable', 'broken', 'offline', 'health', 'diagnose', 'diagnosis', 'troubleshoot', 'fix', 'issue', 'issues',
    'problem', 'problems', 'integration', 'integrations', 'sensor', 'sensors', 'unreliable',
    // Beyond the original's set: how people ask after a device ("… not working?", "which batteries are low?", "stale sensors").
    'diagnostic', 'diagnostics', 'working', 'failing', 'failed', 'dead', 'stale', 'battery', 'batteries', 'fault', 'faults', 'faulty',
  ]),
  // How one thing depends on another (the custom analysis): "… more on cold days?".
  custom: CUSTOM_ANALYSIS_KEYWORDS,
};

/** "Usage" is behaviour ("device usage") unless the question is about energy ("energy usage" is consumption). */
const ENERGY_MEANS_CONSUMPTION: ReadonlySet<string> = new Set(['usage']);

/** A battery that is low or to be replaced is a device's health, not energy storage ("Which batteries are low?"). */
const BATTERY_WORDS: ReadonlySet<string> = new Set(['battery', 'batteries']);
const BATTERY_HEALTH_WORDS: ReadonlySet<string> = new Set(['low', 'replace', 'replacing', 'replaced', 'dead', 'empty', 'flat', 'change', 'changing']);

/**
 * Which specialists answer a question: the explicit list (already validated, see
 * `readSpecialists`) wins; otherwise every specialist whose keywords appear in the question; with
 * no match, all of them but `custom` (which runs for its own questions only). Sorted by name.
 */
export function selectSpecialists(query: string, explicit?: readonly Specialist[]): Specialist[] {
  if (explicit && explicit.length > 0) return SPECIALISTS.filter((s) => explicit.includes(s));
  const words = new Set(query.toLowerCase().match(/[a-z]+/g) ?? []);
  const mentions = (specialist: Specialist, ignored: ReadonlySet<string> = new Set()) =>
    [...SPECIALIST_KEYWORDS[specialist]].some((keyword) => words.has(keyword) && !ignored.has(keyword));
  const batteryHealth = [...BATTERY_HEALTH_WORDS].some((word) => words.has(word));
  const aboutEnergy = batteryHealth ? mentions('energy', BATTERY_WORDS) : mentions('energy');
  const matched = SPECIALISTS.filter((s) =>
    s === 'energy' ? aboutEnergy : s === 'behavioral' && aboutEnergy ? mentions(s, ENERGY_MEANS_CONSUMPTION) : mentions(s),
  );
  return matched.length > 0 ? matched : SPECIALISTS.filter((s) => s !== 'custom');
}
