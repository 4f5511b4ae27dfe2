import { Logger } from '@nestjs/common';
import type { CatalogStore } from '@aether/persistence';
import type { DiscoveryService } from './discovery/discovery.service';
import type { LibrarianOptions } from './librarian.options';
import type { DeltaSyncService } from './sync/delta-sync.service';

const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * Keeps the catalog fresh while the Librarian runs in this process: at start-up a full discovery
 * in the background (when the catalog is empty or too old) — never blocking start-up — then
 * delta sync until shutdown.
 */
export class LibrarianLifecycle {
  private readonly logger = new Logger('Librarian');
  private starting?: Promise<void>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly store: CatalogStore,
    private readonly discovery: DiscoveryService,
    private readonly deltaSync: DeltaSyncService,
    private readonly options: LibrarianOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns at once; `started` settles when discovery and the subscription are up (or stopped). */
  start(): void {
    this.starting ??= this.run();
  }

  get started(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.starting;
    await this.deltaSync.stop();
  }

  /** Until it is up or stopped: Home Assistant may start after Aether, or be down for a while. */
  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      if (await this.attempt()) return;
      const delay = Math.min(this.options.retryDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS);
      this.logger.warn(`Retrying the catalog start-up in ${Math.round(delay / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async attempt(): Promise<boolean> {
    try {
      const last = await this.store.latestSession({ kind: 'full', status: 'completed' });
      const age = last?.finished_at ? this.now() - Date.parse(last.finished_at) : Infinity;
      if (age > this.options.maxCatalogAgeMs) {
        const session = await this.discovery.startInitialDiscovery('startup');
        this.logger.log(`Catalog ready: ${session.entities_found} entities, ${session.devices_found} devices, ${session.areas_found} areas`);
      }
    } catch (error) {
      this.logger.error(`Start-up discovery failed (the catalog answers from what it has): ${describe(error)}`);
      return false;
    }
    if (this.stopped) return true;
    try {
      await this.deltaSync.start();
      return true;
    } catch (error) {
      this.logger.error(`Delta sync could not subscribe to Home Assistant: ${describe(error)}`);
      return false;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
