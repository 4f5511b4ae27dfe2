import { PGlite } from '@electric-sql/pglite';
import { connect } from 'node:net';
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

  it('runs what one write pipelines, query by query: an error skips to its Sync, the next query runs', async () => {
    // Two extended queries in one TCP write, the first failing at Bind time: as a PostgreSQL backend
    // would, the server answers ParseComplete, the error, ReadyForQuery, then the second query whole.
    // Encoded by hand below: `pg` never puts two queries in one write, and pg-protocol is not a dependency of ours.
    const socket = connect(server.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const messages = () => backendMessages(Buffer.concat(received));
    const readyCount = () => messages().filter((m) => m.type === 'Z').length;
    const until = (ready: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (readyCount() >= ready ? resolve() : undefined);
        socket.on('data', check);
        socket.once('error', reject);
        check();
      });
    try {
      socket.write(startupMessage('postgres', 'postgres'));
      await until(1);
      received.length = 0;
      socket.write(Buffer.concat([...extendedQuery('SELECT 1 / $1::int AS n', ['0']), ...extendedQuery('SELECT $1::int + 1 AS n', ['41'])]));
      await until(2);
      const answer = messages();
      expect(answer.map((m) => m.type).join('')).toBe('1EZ12TDCZ');
      expect(answer.find((m) => m.type === 'E')?.body.toString()).toContain('division by zero');
      const row = answer.find((m) => m.type === 'D')?.body as Buffer;
      expect(row.subarray(6).toString()).toBe('42');
    } finally {
      socket.destroy();
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

/** Frontend message: type byte, int32 length (itself included), body. */
function frontend(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function startupMessage(user: string, database: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196608, 4);
  return Buffer.concat([header, body]);
}

/** Parse, Bind (text parameters), Describe, Execute, Sync of the unnamed statement and portal. */
function extendedQuery(sql: string, parameters: string[]): Buffer[] {
  const int16 = (n: number) => Buffer.from([n >> 8, n & 255]);
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const values = parameters.flatMap((p) => [int32(Buffer.byteLength(p)), Buffer.from(p)]);
  return [
    frontend('P', Buffer.concat([Buffer.from(`\0${sql}\0`), int16(0)])),
    frontend('B', Buffer.concat([Buffer.from('\0\0'), int16(0), int16(parameters.length), ...values, int16(0)])),
    frontend('D', Buffer.from('P\0')),
    frontend('E', Buffer.concat([Buffer.from('\0'), int32(0)])),
    frontend('S', Buffer.alloc(0)),
  ];
}

/** The complete backend messages in `bytes`, in order. */
function backendMessages(bytes: Buffer): Array<{ type: string; body: Buffer }> {
  const out: Array<{ type: string; body: Buffer }> = [];
  for (let at = 0; bytes.length - at >= 5; ) {
    const length = bytes.readInt32BE(at + 1);
    if (bytes.length - at < 1 + length) break;
    out.push({ type: String.fromCharCode(bytes[at]), body: bytes.subarray(at + 5, at + 1 + length) });
    at += 1 + length;
  }
  return out;
}
