import { truncate, type AgentClient, type CallContext, type CatalogSummary } from '@aether/core';
import { CatalogQueryError, queryCatalog } from './librarian-catalog.client';

/** How long a fetched home summary is reused: the prompt context, not live state, so a minute is fine. */
export const HOME_SUMMARY_TTL_MS = 60_000;
/** How long a request waits for the summary before answering without it. */
export const HOME_SUMMARY_TIMEOUT_MS = 5_000;
/** Caps that keep the summary (and so the prompt) bounded however large the home is. */
export const HOME_SUMMARY_LIMITS = { domains: 30, areas: 40, floors: 12, nameChars: 60 } as const;

/**
 * The catalog summary as the few lines the Architect's prompt carries: counts per domain, area and
 * floor names, counts of devices and automations — never the entity list (the tools query that).
 */
export function renderHomeSummary(summary: CatalogSummary): string {
  const domains = Object.entries(summary.domains).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shownDomains = domains.slice(0, HOME_SUMMARY_LIMITS.domains);
  const otherEntities = domains.slice(shownDomains.length).reduce((sum, [, n]) => sum + n, 0);
  const domainText =
    shownDomains.map(([domain, n]) => `${truncate(domain, HOME_SUMMARY_LIMITS.nameChars)} ${n}`).join(', ') +
    (domains.length > shownDomains.length ? `, … and ${domains.length - shownDomains.length} more domains (${otherEntities} entities)` : '');
  return [
    `- Counts: entities ${summary.entity_count}, devices ${summary.device_count}, automations ${summary.automation_count}, scripts ${summary.script_count}, scenes ${summary.scene_count}.`,
    `- Entities per domain: ${domainText || 'none'}.`,
    `- Areas (${summary.areas.length}): ${cappedNames(summary.areas, HOME_SUMMARY_LIMITS.areas)}.`,
    `- Floors (${summary.floors.length}): ${cappedNames(summary.floors, HOME_SUMMARY_LIMITS.floors)}.`,
    `- Catalog last refreshed: ${summary.last_discovery_at ?? 'not yet (discovery has not completed)'}.`,
  ].join('\n');
}

function cappedNames(names: readonly string[], max: number): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).map((name) => truncate(name, HOME_SUMMARY_LIMITS.nameChars)).join(', ');
  return names.length > max ? `${shown}, … and ${names.length - max} more` : shown;
}

/**
 * Fetches the Librarian's `catalog_summary` and keeps it for `ttlMs` per process, so a conversation
 * does not cost a catalog round trip per message. Failures are not cached (the next message tries
 * again).
 */
/** The home as the Architect's prompt carries it. */
export interface HomeContext {
  /** The rendered summary (see `renderHomeSummary`). */
  text: string;
  /** The home's IANA time zone, when Home Assistant gave it. */
  timeZone?: string;
}

export class HomeSummaryCache {
  private cached?: HomeContext & { expiresAt: number };

  constructor(
    private readonly librarian: AgentClient,
    private readonly ttlMs = HOME_SUMMARY_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = HOME_SUMMARY_TIMEOUT_MS,
  ) {}

  /**
   * The rendered summary and the home's zone; throws `CatalogQueryError` when it cannot be fetched
   * in time, `AgentError('cancelled')` when `signal` is aborted.
   */
  async get(context: CallContext, signal: AbortSignal): Promise<HomeContext> {
    if (this.cached && this.cached.expiresAt > this.now()) return { text: this.cached.text, timeZone: this.cached.timeZone };
    // A slow Librarian must not hold up the answer: the prompt can do without the overview.
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let summary: CatalogSummary;
    try {
      ({ summary } = await queryCatalog(this.librarian, { op: 'catalog_summary' }, context, AbortSignal.any([signal, timeout])));
    } catch (error) {
      if (timeout.aborted && !signal.aborted) {
        throw new CatalogQueryError(`The Librarian did not send the catalog summary within ${this.timeoutMs} ms.`, 'upstream_error');
      }
      throw error;
    }
    const home: HomeContext = { text: renderHomeSummary(summary), ...(summary.time_zone ? { timeZone: summary.time_zone } : {}) };
    this.cached = { ...home, expiresAt: this.now() + this.ttlMs };
    return home;
  }
}
