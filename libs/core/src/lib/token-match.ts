import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented token or secret with the expected one in constant time (hashing first equalises the lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
