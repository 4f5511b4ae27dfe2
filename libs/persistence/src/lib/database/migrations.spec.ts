import { createPostgresTestSchema, openTestDatabase, testDatabaseKinds, type TestDatabase } from '../../testing';
import { openDataSource } from './aether-data-source';
import { MIGRATIONS } from '../persistence-schema';
import { pendingMigrations, prepareSchema, PendingMigrationsError } from './migration-runner';

describe.each(testDatabaseKinds())('migrations on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('run up from an empty database and leave nothing pending', async () => {
    const applied: { name: string }[] = await db.dataSource.query(`SELECT name FROM aether_migrations ORDER BY id`);
    expect(applied.map((m) => m.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(await pendingMigrations(db.dataSource)).toEqual([]);
    const tables: { table_name: string }[] = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['conversations', 'conversation_messages', 'a2a_tasks', 'api_keys']),
    );
  });

  it('refuse, for production, a schema that is behind, naming the migrate target', async () => {
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    const pending = await pendingMigrations(db.dataSource);
    expect(pending).toHaveLength(1);
    await expect(prepareSchema(db.dataSource, 'require-current')).rejects.toThrow(PendingMigrationsError);
    await expect(prepareSchema(db.dataSource, 'require-current')).rejects.toThrow(/nx run persistence:migrate/);
    // development/test catch up instead
    expect(await prepareSchema(db.dataSource, 'run')).toEqual(pending);
    expect(await prepareSchema(db.dataSource, 'require-current')).toEqual([]);
  });
});

const onPostgres = testDatabaseKinds().includes('postgres') ? describe : describe.skip;

onPostgres('migrations of services starting at once against one PostgreSQL', () => {
  it('are applied exactly once (advisory lock), and every starter finds the schema current', async () => {
    const schema = await createPostgresTestSchema();
    const target = { kind: 'postgres' as const, url: schema.databaseUrl, schema: schema.schema };
    const sources = await Promise.all([1, 2, 3, 4].map((n) => openDataSource(target, `starter-${n}`)));
    try {
      const applied = await Promise.all(sources.map((source) => prepareSchema(source, 'run')));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      for (const source of sources) expect(await pendingMigrations(source)).toEqual([]);
      const [{ runs }]: { runs: number }[] = await sources[0].query(`SELECT count(*)::int AS runs FROM aether_migrations`);
      expect(runs).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
      await schema.drop();
    }
  }, 60_000);
});
