import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDataSource } from '../lib/database/aether-data-source';
import { prepareSchema } from '../lib/database/migration-runner';
import { MIGRATIONS } from '../lib/persistence-schema';
import { startDatabaseServer, stackDatabaseDir } from './database-server';

describe('the process stack database server', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aether-db-server-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('migrates once before services connect, serves their pools, and keeps the data across a restart', async () => {
    const dataDir = stackDatabaseDir(root);
    const first = await startDatabaseServer({ dataDir });
    expect(first.created).toBe(true);
    expect(first.migrated.sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    // Eight services starting at once: each migrates at start (finding nothing) and writes.
    const target = { kind: 'postgres' as const, url: first.url, schema: 'public' };
    const services = await Promise.all(Array.from({ length: 8 }, (_, n) => openDataSource(target, `service-${n}`)));
    try {
      expect((await Promise.all(services.map((s) => prepareSchema(s, 'run')))).flat()).toEqual([]);
      await Promise.all(
        services.map((s, n) => s.query(`INSERT INTO conversations (id, user_id, title) VALUES ($1, $$someone$$, $2)`, [`c-${n}`, `chat ${n}`])),
      );
    } finally {
      await Promise.all(services.map((s) => s.destroy()));
    }
    await first.stop();

    const second = await startDatabaseServer({ dataDir });
    try {
      expect(second.created).toBe(false);
      expect(second.migrated).toEqual([]);
      const reader = await openDataSource({ ...target, url: second.url }, 'reader');
      const rows: { id: string }[] = await reader.query(`SELECT id FROM conversations ORDER BY id`);
      await reader.destroy();
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 8 }, (_, n) => `c-${n}`));
    } finally {
      await second.stop();
    }
  }, 120_000);
});
