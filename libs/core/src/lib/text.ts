/**
 * What a string may contain once it is inside Aether. Two kinds of strings, two rules:
 *
 * - **Ids** (conversation ids, message ids, cursors) travel in URLs, HTTP headers
 *   (`X-Aether-Conversation-Id`) and database keys. They must be visible ASCII (`!`…`~`): a header
 *   cannot carry anything else, and an id that changed on the way (escaped, replaced) would name
 *   another record. So an id that breaks the rule is refused (a 400 naming the field), never repaired.
 * - **Text** (what a user wrote, an answer, a title) is repaired, not refused: NUL is removed
 *   (PostgreSQL's text and jsonb cannot hold it, and it carries no meaning in prose) and a lone
 *   UTF-16 surrogate becomes U+FFFD (it cannot be encoded as UTF-8 at all). A pasted text with one
 *   stray byte still reaches the agents, so the user's question is never lost to a character nobody
 *   can see.
 */

/** Visible ASCII only: safe in a header, a URL path segment and a database key as it is. */
const ID_CHARACTERS = /^[!-~]+$/;

/** Why `id` is not a valid id, or `undefined` when it is. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  if (ID_CHARACTERS.test(id)) return undefined;
  const bad = [...id].find((char) => !ID_CHARACTERS.test(char)) ?? '';
  return `must contain only visible ASCII characters (letters, digits, punctuation); found ${describeCharacter(bad)}`;
}

export function isValidId(id: string): boolean {
  return idProblem(id) === undefined;
}

/** `U+0000`, `U+65E5 '日'`: how an error message names a character the reader may not see. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const visible = code > 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && !(code >= 0xd800 && code <= 0xdfff);
  return visible ? `${hex} '${char}'` : hex;
}

/** Text with NUL removed and lone surrogates replaced by U+FFFD (see the rule above). */
export function toStorableText(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return withoutNul.toWellFormed();
}

/** True when `toStorableText(text) === text`. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** Control characters (C0, DEL, C1) in text meant as a name or identifier, where they are never intended. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Why a free-form identifier (a display name, OpenAI's `user`) is not acceptable, or `undefined`.
 * Unlike ids it may be any language, but it is refused rather than repaired: two users must not
 * become one because their names differed only in an invisible character.
 */
export function labelProblem(label: string): string | undefined {
  if (!label.isWellFormed()) return 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';
  const control = CONTROL_CHARACTER.exec(label);
  if (control) return `must not contain control characters; found ${describeCharacter(control[0])}`;
  return undefined;
}

/**
 * Home Assistant's `slugify` (how it makes object ids and config keys from names): lower case,
 * accents dropped, runs of anything but letters and digits become one underscore. Here, in the
 * contract library, so an agent that never talks to HA (the Architect) names things as HA would
 * without loading HA's client.
 */
export function haSlugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
