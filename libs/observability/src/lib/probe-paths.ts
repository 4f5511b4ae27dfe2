/**
 * Health probes and metrics scrapes (`/health`, `/ready`, `/metrics`, and the gateway's
 * `/api/v1/health|ready`): polled every few seconds by machines, they are not work. They make no
 * trace, and do not count as requests in progress (a scrape would otherwise always see itself).
 */
const PROBE_PATH = /^\/(api\/v1\/)?(health|ready|metrics)(\/|\?|$)/;

export function isProbePath(path: string | undefined): boolean {
  return PROBE_PATH.test(path ?? '');
}
