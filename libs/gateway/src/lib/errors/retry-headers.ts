/**
 * Statuses a client may retry as they are: a timeout, a conflict, a rate limit — and server errors,
 * except 501 (what is not built does not get built by asking again). The openai SDKs and other
 * clients retry every 408/409/429/5xx unless the response carries `x-should-retry: false`.
 */
export function shouldRetry(status: number): boolean {
  if (status === 408 || status === 409 || status === 429) return true;
  return status >= 500 && status !== 501;
}

/**
 * Headers that tell a client whether and when to retry: `x-should-retry: false` where retrying
 * cannot help (4xx but 408/409/429, and 501); `Retry-After` (whole seconds) and OpenAI's
 * `retry-after-ms` on a 503, a transient outage of an agent, Home Assistant or the database.
 */
export function retryHeaders(status: number, retryAfterMs: number): Record<string, string> {
  if (status >= 400 && !shouldRetry(status)) return { 'x-should-retry': 'false' };
  if (status === 503) return { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'retry-after-ms': String(retryAfterMs) };
  return {};
}
