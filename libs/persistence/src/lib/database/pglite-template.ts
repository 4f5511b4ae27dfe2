import { existsSync, readFileSync } from 'node:fs';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const PGLITE_VERSION = installedVersion('@electric-sql/pglite');
/** A lock older than this belongs to a process that died while making the template. */
const STALE_LOCK_MS = 120_000;
const WAIT_STEP_MS = 100;

/** Where the template for data directories under `dataRoot` lives (named by PGlite version: the format is its own). */
export function pgliteTemplatePath(dataRoot: string): string {
  return path.join(dataRoot, `pglite-template-${PGLITE_VERSION}.tar.gz`);
}

/** Whether `dataDir` already holds a database (PostgreSQL writes PG_VERSION at initdb). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * A freshly initialised, empty PGlite data directory as a tarball, made once per data root and
 * shared by every service that creates its database there. Each PGlite otherwise runs its own
 * initdb (seconds of CPU each); with it a new database is an unpack, which matters when a
 * distributed stack creates eight at once on a small machine. Concurrent starters take turns
 * through an exclusive lock file: one builds the template, the others wait for it. Returns
 * undefined when the template cannot be had in time (the caller then runs initdb itself).
 */
export async function pgliteTemplate(templateFile: string, waitMs = 60_000): Promise<Blob | undefined> {
  const deadline = Date.now() + waitMs;
  const lockFile = `${templateFile}.lock`;
  while (Date.now() < deadline) {
    if (existsSync(templateFile)) return new Blob([await readFile(templateFile)]);
    const lock = await open(lockFile, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (lock) {
      try {
        await buildTemplate(templateFile);
      } finally {
        await lock.close();
        await unlink(lockFile).catch(() => undefined);
      }
      continue;
    }
    if (await isStale(lockFile)) {
      await unlink(lockFile).catch(() => undefined);
      continue;
    }
    // Another process is building the template: waiting for its file is the point, not a delay.
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
  return undefined;
}

async function buildTemplate(templateFile: string): Promise<void> {
  // Imported here, not at the top: only a process that opens an embedded PGlite needs it.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  try {
    await db.waitReady;
    const tarball = await db.dumpDataDir('gzip');
    // Written aside and renamed, so a reader never sees half a file.
    const partial = `${templateFile}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, templateFile);
  } finally {
    await db.close();
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(lockFile)).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/** The package's version from its package.json (found above its entry point: its exports hide the file). */
function installedVersion(name: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name && parsed.version) return parsed.version;
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
