import { AgentError } from './agent-contract';
import type { AgentName } from './agent-names';

/**
 * The structured input of the data science team (`AgentRequest.data`), read by the DS Orchestrator
 * (`{ hours?, specialists? }`) and by the analysts (`{ specialist, hours?, query? }`). Values come
 * from a model's tool call or from another process, so each is checked where it is read: a wrong
 * one is refused as `invalid_input` naming the field, never clamped or ignored in silence.
 */
export const SPECIALISTS = ['behavioral', 'diagnostic', 'energy'] as const;
export type Specialist = (typeof SPECIALISTS)[number];

/** An analysis window, in hours ending now. */
export const ANALYSIS_WINDOW_HOURS = { min: 1, max: 720 } as const;

export function isSpecialist(value: unknown): value is Specialist {
  return typeof value === 'string' && (SPECIALISTS as readonly string[]).includes(value);
}

/** `data.hours`: absent (undefined), or a number of hours within `ANALYSIS_WINDOW_HOURS`, rounded to whole hours. */
export function readWindowHours(data: Record<string, unknown> | undefined, agent: AgentName): number | undefined {
  const value = data?.['hours'];
  if (value === undefined || value === null) return undefined;
  const { min, max } = ANALYSIS_WINDOW_HOURS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new AgentError('invalid_input', `data.hours must be a number of hours from ${min} to ${max}, got ${shown(value)}.`, agent);
  }
  return Math.round(value);
}

/** `data.specialists`: absent (undefined), or a non-empty list of known specialists (duplicates dropped). */
export function readSpecialists(data: Record<string, unknown> | undefined, agent: AgentName): Specialist[] | undefined {
  const value = data?.['specialists'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isSpecialist)) {
    throw new AgentError(
      'invalid_input',
      `data.specialists must be a non-empty list of ${SPECIALISTS.join(', ')}, got ${shown(value)}.`,
      agent,
    );
  }
  return SPECIALISTS.filter((specialist) => value.includes(specialist));
}

/** The offending value in an error message (any value: BigInts and cycles included). */
function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
