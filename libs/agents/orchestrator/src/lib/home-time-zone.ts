import { CATALOG_REQUEST_KEY, type AgentClient, type CallContext, type CatalogQueryResult } from '@aether/core';

/** How long a known zone is used before it is fetched again (in the background): it changes only when someone edits Home Assistant's settings. */
export const HOME_TIME_ZONE_TTL_MS = 60 * 60_000;
/** After a failed fetch, how long before the next message tries again (in the background). */
export const HOME_TIME_ZONE_RETRY_MS = 60_000;
/** The one wait a process that has never had an answer accepts before routing without the zone. */
export const HOME_TIME_ZONE_FIRST_WAIT_MS = 1_000;
/** Longest a (background) fetch may take. */
export const HOME_TIME_ZONE_FETCH_TIMEOUT_MS = 10_000;

/**
 * The home's time zone for the routing prompt's clock line (`promptClockLine`), kept per process.
 * Routing is on every message's hot path and the Librarian's `catalog_summary` costs two hops (it
 * asks Home Assistant), so only a process's first message waits for it, bounded; afterwards a stale
 * zone keeps serving while one background fetch refreshes it. A failure is retried after
 * `retryMs`, never awaited again.
 */
export class HomeTimeZoneCache {
  private zone?: string;
  /** When the last fetch ended, and whether it succeeded; undefined before the first one ends. */
  private last?: { at: number; ok: boolean };
  private inFlight?: Promise<void>;

  constructor(
    private readonly librarian: AgentClient,
    private readonly options: { ttlMs?: number; retryMs?: number; firstWaitMs?: number; now?: () => number } = {},
  ) {}

  /** The home's IANA zone, or undefined when not (yet) known. Never throws. */
  async get(context: CallContext, signal: AbortSignal): Promise<string | undefined> {
    const now = (this.options.now ?? Date.now)();
    const expired =
      !this.last || now - this.last.at >= (this.last.ok ? (this.options.ttlMs ?? HOME_TIME_ZONE_TTL_MS) : (this.options.retryMs ?? HOME_TIME_ZONE_RETRY_MS));
    if (expired) this.inFlight ??= this.fetch(context).finally(() => (this.inFlight = undefined));
    if (!this.last && this.inFlight) {
      const firstWaitMs = this.options.firstWaitMs ?? HOME_TIME_ZONE_FIRST_WAIT_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, firstWaitMs);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
        void this.inFlight?.then(done);
      });
    }
    return this.zone;
  }

  /** Not bound to one request's signal: a background refresh may outlive the message that started it. */
  private async fetch(context: CallContext): Promise<void> {
    let ok = false;
    try {
      const { data } = await this.librarian.send(
        { message: 'Catalog query: catalog_summary', history: [], data: { [CATALOG_REQUEST_KEY]: { op: 'catalog_summary' } }, context: { ...context, deadline: undefined } },
        { signal: AbortSignal.timeout(HOME_TIME_ZONE_FETCH_TIMEOUT_MS) },
      );
      const result = data[CATALOG_REQUEST_KEY] as CatalogQueryResult | undefined;
      if (result?.op === 'catalog_summary') {
        this.zone = result.summary.time_zone;
        ok = true;
      }
    } catch {
      // The clock line says when the zone is unknown; routing does not depend on it.
    }
    this.last = { at: (this.options.now ?? Date.now)(), ok };
  }
}
