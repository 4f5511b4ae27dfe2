import type { DeltaSyncOptions } from './sync/delta-sync.service';
import { DEFAULT_DELTA_SYNC_OPTIONS } from './sync/delta-sync.service';

export interface LibrarianOptions {
  /** Start-up discovery and delta sync when the Librarian runs in this process (default true). */
  autoStart: boolean;
  /** A catalog older than this gets a full discovery at start-up (default 6 h). */
  maxCatalogAgeMs: number;
  /** First wait before retrying a failed start-up (doubling, at most 5 min; default 15 s). */
  retryDelayMs: number;
  deltaSync: DeltaSyncOptions;
}

export const DEFAULT_LIBRARIAN_OPTIONS: LibrarianOptions = {
  autoStart: true,
  maxCatalogAgeMs: 6 * 3_600_000,
  retryDelayMs: 15_000,
  deltaSync: DEFAULT_DELTA_SYNC_OPTIONS,
};

/** Optional provider of `Partial<LibrarianOptions>` (tests shorten the batches). */
export const LIBRARIAN_OPTIONS = 'aether.librarian.options';
