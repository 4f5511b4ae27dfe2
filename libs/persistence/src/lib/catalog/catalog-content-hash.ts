import { createHash } from 'node:crypto';

/**
 * A stable hash of catalogued content: object keys are sorted, so HA answering the same content in
 * another key order does not count as a change.
 */
export function catalogContentHash(content: unknown): string {
  return createHash('sha1').update(stableJson(content)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
