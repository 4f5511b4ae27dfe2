/**
 * Secrets never reach a log line: the values of the environment's secret variables (API keys, the
 * service token, HA's token, the database password) are replaced wherever they appear in a
 * message or a stack, whoever wrote it (our code, Nest, a library's error message).
 */

/** Variables whose values are secrets: `*_TOKEN`, `*_API_KEY(S)`, `*_PASSWORD`, `*_SECRET`. */
const SECRET_NAME = /(?:^|_)(?:TOKEN|API_KEYS?|PASSWORD|SECRET)$/;
/** Shorter values would redact ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[redacted]';

/** The secret values of `env`, longest first (so a secret containing another is replaced whole). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) for (const part of value.split(',')) values.add(part.trim());
    // Credentials inside a connection URL (DATABASE_URL=postgres://user:password@host/db).
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i.exec(value)?.[1];
    if (password) {
      values.add(password);
      values.add(safeDecode(password));
    }
  }
  return [...values].filter((value) => value.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
  return scrubbed;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
