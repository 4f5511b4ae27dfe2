import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseInUseError, lockDataDir } from './pglite-data-dir-lock';

describe('the lock on an embedded database directory', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'aether-lock-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('lets one holder in and refuses the next at once with DatabaseInUseError, until it is released', async () => {
    const release = await lockDataDir(dataDir);
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DatabaseInUseError);
    await release();
    const again = await lockDataDir(dataDir);
    await again();
  });

  it('waits, when asked to, for a holder that lets go', async () => {
    const release = await lockDataDir(dataDir);
    const waiting = lockDataDir(dataDir, { waitMs: 5_000 });
    let acquired = false;
    void waiting.then(() => (acquired = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(acquired).toBe(false);
    await release();
    const releaseSecond = await waiting;
    await releaseSecond();
  });
});
