import { truncate } from './truncate';

// How the protocol readers of this lib check values that crossed a hop (internal: not exported).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with something in it besides whitespace. */
export function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value), 80);
}
