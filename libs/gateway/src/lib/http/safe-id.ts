import { idProblem } from '@aether/core';
import { z } from 'zod';
import { OpenAiApiException } from '../errors/openai-error';

/** Longest id the gateway accepts (ids it makes are 36 characters). */
export const MAX_ID_LENGTH = 200;

/** An id field of a body or query: visible ASCII only (see `idProblem`), so it is safe in headers, URLs and keys. */
export function idSchema(what: string) {
  return z
    .string({ error: `must be given once, as ${what}` })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` })
    .superRefine((id, context) => {
      const problem = idProblem(id);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
}

/** Checks an id taken from a URL path; a bad one is a 400 naming `param`, before anything looks it up. */
export function requireSafeId(id: string, param: string): string {
  const problem = id.length > MAX_ID_LENGTH ? `must be at most ${MAX_ID_LENGTH} characters` : idProblem(id);
  if (problem) throw OpenAiApiException.invalidRequest(`Invalid value for '${param}': ${problem}.`, param, 'invalid_value');
  return id;
}
