import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PGliteWireServer } from './pglite-wire-server';

describe('PGliteWireServer (one PGlite, many PostgreSQL connections)', () => {
  let db: PGlite;
  let server: PGliteWireServer;
  let url: string;
  const pools: pg.Pool[] = [];
  const pool = (max: number) => {
    const created = new pg.Pool({ connectionString: url, max });
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await PGlite.create();
    server = new PGliteWireServer(db, { port: 0 });
    await server.listen();
    url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    await db.exec('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.close();
    await db?.close();
  });
  beforeEach(() => db.exec('TRUNCATE notes'));

  it('keeps concurrent parameterised queries of 8 pools apart (no interleaved Parse/Bind)', async () => {
    const services = Array.from({ length: 8 }, () => pool(4));
    const results = await Promise.all(
      services.flatMap((service, s) =>
        Array.from({ length: 40 }, async (_, i) => {
          const n = s * 1000 + i;
          const { rows } = await service.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s', [n, `v${n}`]);
          return rows[0].n === n && rows[0].s === `v${n}`;
        }),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(results).toHaveLength(320);
  }, 60_000);

  it('keeps them apart when a query arrives in several TCP chunks (large parameters)', async () => {
    const clients = Array.from({ length: 16 }, () => pool(1));
    const big = 'x'.repeat(200_000);
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        clients.map(async (client, c) => (await client.query(`SELECT $1::int AS n, length($2::text) AS size, ${c}::int AS client`, [round, big])).rows[0]),
      );
      expect(answers).toEqual(clients.map((_, c) => ({ n: round, size: big.length, client: c })));
    }
  }, 60_000);

  it('runs a transaction alone: another connection waits for its commit instead of joining it', async () => {
    const a = await pool(1).connect();
    const other = pool(1);
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO notes (body) VALUES ($1)', ['first']);
      // Issued while a's transaction is open: it can only run after the commit.
      const seen = other.query<{ bodies: string[] }>('SELECT array_agg(body ORDER BY id) AS bodies FROM notes');
      await a.query('INSERT INTO notes (body) VALUES ($1)', ['second']);
      await a.query('COMMIT');
      expect((await seen).rows[0].bodies).toEqual(['first', 'second']);
    } finally {
      a.release();
    }
  });

  it('rolls back what a vanished connection left open, and serves the others on', async () => {
    const doomed = new pg.Client({ connectionString: url });
    await doomed.connect();
    doomed.on('error', () => undefined);
    await doomed.query('BEGIN');
    await doomed.query('INSERT INTO notes (body) VALUES ($1)', ['uncommitted']);
    const waiting = pool(1).query<{ count: number }>('SELECT count(*)::int AS count FROM notes');
    (doomed as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await waiting).rows[0].count).toBe(0);
    expect(db.isInTransaction()).toBe(false);
  });

  it('grants session advisory locks to every connection (shared session: they never block)', async () => {
    const [a, b] = [await pool(1).connect(), await pool(1).connect()];
    try {
      await a.query('SELECT pg_advisory_lock(42)');
      await b.query('SELECT pg_advisory_lock(42)');
      await b.query('SELECT pg_advisory_unlock(42)');
      await a.query('SELECT pg_advisory_unlock(42)');
    } finally {
      a.release();
      b.release();
    }
  });

  it('answers errors on its connection only and keeps the session usable', async () => {
    const p = pool(2);
    const [bad, good] = await Promise.allSettled([p.query('SELECT * FROM missing_table WHERE id = $1', [1]), p.query('SELECT $1::int AS n', [7])]);
    expect(bad.status).toBe('rejected');
    expect(good.status === 'fulfilled' && good.value.rows[0].n).toBe(7);
    expect(server.stats().waiting).toBe(0);
  });
});
