/** A JSON object (not an array, not null): what HA sends for a state, a config or an attribute map. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
