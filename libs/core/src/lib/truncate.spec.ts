import fc from 'fast-check';
import { truncate } from './truncate';

const endsInLoneHighSurrogate = (s: string) => /[\ud800-\udbff]$/.test(s);
const roundTripsThroughUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

/** Clusters a cut must never split: a surrogate pair, a ZWJ family, a flag, a skin tone, a combining accent. */
const CLUSTERS = ['👍', '👨‍👩‍👧‍👦', '🇯🇵', '👋🏽', 'e\u0301', '日'];

describe('truncate', () => {
  it('returns short text unchanged and cuts long ASCII text to max units, ending in …', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('hello world', 6)).toHaveLength(6);
  });

  it.each(CLUSTERS)('never splits %j, whatever the cut point', (cluster) => {
    for (let prefix = 0; prefix <= 8; prefix++) {
      const text = `${'a'.repeat(prefix)}${cluster}${'b'.repeat(8)}`;
      for (let max = 0; max <= text.length; max++) {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
        expect(endsInLoneHighSurrogate(cut)).toBe(false);
        expect(roundTripsThroughUtf8(cut)).toBe(true);
        // The cluster is either whole in the result or not in it at all.
        const kept = cut.replace(/…$/, '');
        expect(text.startsWith(kept)).toBe(true);
        if (kept.length > prefix) expect(kept.slice(prefix, prefix + cluster.length)).toBe(cluster);
      }
    }
  });

  it('keeps a 200-unit preview of a long message with an emoji at the cut storable (the old cut left half a pair)', () => {
    const message = `${'x'.repeat(198)}👍${'y'.repeat(50)}`;
    const preview = truncate(message, 200);
    expect(preview).toBe(`${'x'.repeat(198)}…`);
    expect(roundTripsThroughUtf8(preview)).toBe(true);
  });

  it('repairs input that was not valid UTF-16 or held NUL (see toStorableText)', () => {
    expect(truncate('a\u0000b\ud800', 10)).toBe('ab\ufffd');
  });

  it('holds for any text and any limit: at most max units, well-formed, a prefix plus …', () => {
    const unit = fc.oneof(fc.constantFrom(...CLUSTERS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.nat({ max: 80 }), (text, max) => {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, 0));
        expect(cut.isWellFormed()).toBe(true);
        expect(roundTripsThroughUtf8(cut)).toBe(true);
        if (text.length <= max) expect(cut).toBe(text);
        else if (max > 0) expect(text.startsWith(cut.slice(0, -1)) && cut.endsWith('…')).toBe(true);
      }),
    );
  });
});
