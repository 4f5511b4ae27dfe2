import fc from 'fast-check';
import { describeCharacter, idProblem, isStorableText, isValidId, labelProblem, toStorableText } from './text';

const roundTripsThroughUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('ids', () => {
  it.each(['c-1', '0b7c1f2e-9d1a-8c3e-a4b5-6f7e8d9c0a1b', 'user@example.com', 'a~b!c'])('accepts %j', (id) => {
    expect(isValidId(id)).toBe(true);
  });

  it.each([
    ['日本', "U+65E5 '日'"],
    ['a\u0000b', 'U+0000'],
    ['two words', 'U+0020'],
    ['tab\there', 'U+0009'],
    ['\ud800', 'U+D800'],
    ['ok\u007f', 'U+007F'],
    ['caf\u00e9', "U+00E9 'é'"],
  ])('refuses %j, naming %s', (id, named) => {
    expect(idProblem(id)).toContain(named);
  });

  it('refuses the empty id', () => {
    expect(idProblem('')).toBe('must not be empty');
  });

  it('accepts exactly the ids that are safe as an HTTP header value as they are', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (id) => {
        if (!isValidId(id)) return;
        expect(() => new Headers({ 'x-id': id })).not.toThrow();
        expect(new Headers({ 'x-id': id }).get('x-id')).toBe(id);
      }),
    );
  });
});

describe('toStorableText', () => {
  it('removes NUL and replaces lone surrogates with U+FFFD, keeping everything else', () => {
    expect(toStorableText('a\u0000b')).toBe('ab');
    expect(toStorableText('x\ud800y\udfffz')).toBe('x\ufffdy\ufffdz');
    expect(toStorableText('👨‍👩‍👧‍👦 🇯🇵 e\u0301')).toBe('👨‍👩‍👧‍👦 🇯🇵 e\u0301');
  });

  it('always yields storable text that survives UTF-8, and leaves storable text alone', () => {
    const unit = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      fc.constant('\u0000'),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const storable = toStorableText(text);
        expect(isStorableText(storable)).toBe(true);
        expect(roundTripsThroughUtf8(storable)).toBe(true);
        expect(toStorableText(storable)).toBe(storable);
        if (isStorableText(text)) expect(storable).toBe(text);
      }),
    );
  });
});

describe('labelProblem (free-form identifiers such as `user`)', () => {
  it('accepts any language and refuses control characters and lone surrogates', () => {
    expect(labelProblem('José Müller 日本')).toBeUndefined();
    expect(labelProblem('a\u0000b')).toContain('U+0000');
    expect(labelProblem('line\nbreak')).toContain('U+000A');
    expect(labelProblem('\udc00')).toMatch(/lone UTF-16 surrogate/);
  });
});

describe('describeCharacter', () => {
  it('shows a visible character and only the code point of an invisible one', () => {
    expect(describeCharacter('日')).toBe("U+65E5 '日'");
    expect(describeCharacter('👍')).toBe("U+1F44D '👍'");
    expect(describeCharacter('\u0000')).toBe('U+0000');
  });
});
