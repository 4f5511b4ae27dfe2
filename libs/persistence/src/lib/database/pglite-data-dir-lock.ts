import path from 'node:path';
import lockfile from 'proper-lockfile';

/** The lock lives inside the data directory (its parent may be a read-only mount in a container). */
const LOCK_NAME = '.aether.lock';
/** A lock not refreshed for this long belongs to a process that died (killed, crashed). */
const STALE_MS = 10_000;

/** Thrown when another process has the embedded database's directory open. */
export class DatabaseInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The embedded database at ${dataDir} is in use by another process (the monolith, or the process stack's database server). ` +
        'An embedded database serves one process: stop that process first, or point DATABASE_URL at a PostgreSQL server ' +
        '(npm run start:distributed prints the URL of its database server).',
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface DataDirLockOptions {
  /**
   * How long to wait for the directory (default 0: fail at once). A service restarted right after
   * its predecessor was killed waits a little longer than `STALE_MS`, until that lock goes stale.
   */
  waitMs?: number;
  /** Told if the lock is lost while held (its directory removed, the process stalled beyond `STALE_MS`). */
  onLost?: (error: Error) => void;
}

/**
 * Holds an embedded PGlite data directory for this process; resolves with the release. PGlite does
 * not refuse a second process on the same directory as a PostgreSQL server would (postmaster.pid):
 * both open it, and each one's writes are lost to the other (an API key created by the CLI while
 * the monolith ran was never seen by it). With the lock, the second opener fails at once with a
 * message saying what to do. proper-lockfile: a lock directory refreshed while held, so the lock of
 * a killed process goes stale instead of blocking the directory forever.
 */
export async function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? 0;
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, LOCK_NAME),
      realpath: false,
      stale: STALE_MS,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 500), factor: 1, minTimeout: 500, maxTimeout: 500 } : 0,
      onCompromised: options.onLost ?? (() => undefined),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOCKED') throw new DatabaseInUseError(dataDir);
    throw error;
  }
}

/** Long enough for the lock of a process that was just killed to go stale. */
export const RESTART_LOCK_WAIT_MS = STALE_MS + 2_000;
