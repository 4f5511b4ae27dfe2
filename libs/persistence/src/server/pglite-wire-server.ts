// One PGlite served over the PostgreSQL wire protocol to many client connections (the process
// stack's services and their pools).
//
// Why not `PGLiteSocketServer` from @electric-sql/pglite-socket (0.2.17): PGlite is one backend
// session, and that server multiplexes its clients per *protocol message*, pinning a client only
// while `db.isInTransaction()`. An extended-protocol query (Parse/Bind/Describe/Execute/Sync — how
// `pg` sends every parameterised query, i.e. everything TypeORM does) is not "in a transaction"
// between its messages, so two connections' batches interleave and one binds the other's unnamed
// statement (wrong rows or errors). Reported upstream and still open: electric-sql/pglite#1046
// (also: one thrown exec wedges its queue for good) and PR #977. Reproduced on this machine: 16 `pg`
// clients sending `SELECT $1::int, $2::text, <client>` with 200 KB parameters (a message split
// over several TCP chunks) to a file-backed PGlite got 15 of 320 rows of another client's
// statement; pglite-wire-server.spec.ts runs that load against this server. Its per-message queue
// leaves no hook to change this (the queue class is not exported), so this file replaces the
// server and keeps PGlite's own protocol entry point (`execProtocolRawStream`).
//
// The rule here: a connection owns the session from its first message until it reaches a sync
// point (startup, Sync, simple Query, FunctionCall) with no transaction open. Extended batches and
// whole transactions are therefore atomic; other connections wait, first come first served. What
// that means for clients, unlike a real PostgreSQL:
//  - Pools of any size work (connections just queue); a bigger pool buys no parallelism.
//  - Session state is shared: advisory locks are re-entrant across connections (never block, so
//    never deadlock, but exclude nothing: run migrations once, before the clients start — see
//    database-server.ts), and SET / named prepared statements leak between connections.
//  - A client that holds a transaction open while it waits for another connection of its own
//    would wait forever; a holder idle in a transaction longer than `idleInTransactionTimeoutMs`
//    is disconnected (its transaction rolled back), as PostgreSQL's
//    idle_in_transaction_session_timeout would.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Frontend messages after which the backend answers ReadyForQuery. */
const SYNC_POINTS = new Set(['S', 'Q', 'F']);
const SYNC_MESSAGE = Buffer.from([0x53, 0, 0, 0, 4]);

export interface PGliteWireServerOptions {
  host?: string;
  /** 0 = any free port (read `port` after `listen()`). */
  port?: number;
  idleInTransactionTimeoutMs?: number;
  log?: (message: string) => void;
}

/** FIFO ownership of the single PGlite session. */
class SessionLock {
  private owner: Connection | undefined;
  private readonly waiting: Array<{ connection: Connection; grant: (granted: boolean) => void }> = [];

  /** Resolves true once `connection` owns the session, false if it was cancelled meanwhile. */
  acquire(connection: Connection): Promise<boolean> {
    if (!this.owner) {
      this.owner = connection;
      return Promise.resolve(true);
    }
    return new Promise((grant) => this.waiting.push({ connection, grant }));
  }

  release(connection: Connection): void {
    if (this.owner !== connection) return;
    const next = this.waiting.shift();
    this.owner = next?.connection;
    next?.grant(true);
  }

  cancel(connection: Connection): void {
    const index = this.waiting.findIndex((w) => w.connection === connection);
    if (index >= 0) this.waiting.splice(index, 1)[0].grant(false);
  }

  get queued(): number {
    return this.waiting.length;
  }
}

class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private owns = false;
  private closed = false;
  private work: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Settles once the connection is closed and the session handed back. */
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
    private readonly options: Required<Pick<PGliteWireServerOptions, 'idleInTransactionTimeoutMs' | 'log'>>,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.work = this.work.then(() => this.drain()).catch((error) => this.fail(error));
    });
    socket.on('error', () => undefined); // 'close' follows; a client vanishing is not an error here
    socket.on('close', () => {
      this.closed = true;
      this.lock.cancel(this);
      // After any message still executing, so the session is handed back in a known state.
      this.work = this.work.then(() => this.cleanUp()).catch((error) => this.options.log(`cleanup failed: ${String(error)}`)).finally(this.finish);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private async drain(): Promise<void> {
    for (let batch = this.next(); batch && !this.closed; batch = this.next()) await this.handle(batch);
  }

  /**
   * The next unit of work in the buffer: a startup-phase message (no type byte), Terminate, or the
   * complete messages up to and including the next sync point, executed together. PGlite runs a
   * buffer of several messages in one call (as a PostgreSQL backend reads its socket), so a `pg`
   * query — Parse, Bind, Describe, Execute, Sync in one TCP write — costs one call into PGlite and
   * one write back instead of five each. Measured (2,000 statements from one `pg` pool, after as
   * many to warm up), this process's CPU per statement: a parameterised SELECT 0.42–0.53 ms one
   * message at a time, 0.15–0.18 ms as one batch; an INSERT of 500 B of JSON 0.52–0.59 → 0.33–0.44 ms.
   */
  private next(): { type: string; bytes: Buffer } | undefined {
    if (!this.started) return this.nextStartupMessage();
    let end = 0;
    let type: string | undefined;
    while (this.buffer.length - end >= 5) {
      const length = 1 + this.buffer.readInt32BE(end + 1);
      if (this.buffer.length - end < length) break;
      const next = String.fromCharCode(this.buffer[end]);
      // Terminate goes alone, after the messages before it.
      if (next === 'X' && end > 0) break;
      end += length;
      type = next;
      if (next === 'X' || SYNC_POINTS.has(next)) break;
    }
    if (type === undefined) return undefined;
    const bytes = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end);
    return { type, bytes };
  }

  /** The next complete startup-phase message in the buffer (those have no type byte). */
  private nextStartupMessage(): { type: string; bytes: Buffer } | undefined {
    if (this.buffer.length < 8) return undefined;
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return undefined;
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = bytes.readInt32BE(4);
    return { type: code === PROTOCOL_3 ? 'startup' : code === CANCEL_REQUEST ? 'cancel' : code === SSL_REQUEST || code === GSSENC_REQUEST ? 'encryption' : 'unknown', bytes };
  }

  /** Runs one unit of work; `type` is its last message's (a sync point ends a batch). */
  private async handle({ type, bytes }: { type: string; bytes: Buffer }): Promise<void> {
    if (type === 'encryption') return void this.socket.write('N'); // no TLS on loopback: go on in plain text
    if (type === 'cancel' || type === 'unknown' || type === 'X') return void this.socket.end(); // no backend to signal; Terminate
    clearTimeout(this.idleTimer);
    if (!this.owns) {
      if (!(await this.lock.acquire(this))) return;
      this.owns = true;
    }
    if (type === 'startup') this.started = true;
    const out = await this.exec(bytes);
    if (!this.closed && out.length) this.socket.write(out);
    if (type === 'startup' || SYNC_POINTS.has(type)) {
      if (!this.db.isInTransaction()) this.releaseSession();
      else this.idleTimer = setTimeout(() => this.idleInTransaction(), this.options.idleInTransactionTimeoutMs).unref();
    }
  }

  private async exec(bytes: Uint8Array): Promise<Buffer> {
    const chunks: Buffer[] = [];
    // onRawData hands out views of PGlite's WebAssembly memory: copy before the next call reuses it.
    await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(bytes), { onRawData: (data) => void chunks.push(Buffer.from(data)) }));
    return Buffer.concat(chunks);
  }

  private idleInTransaction(): void {
    this.options.log(`a connection stayed idle in a transaction for ${this.options.idleInTransactionTimeoutMs} ms while holding the session: closing it (rolled back)`);
    this.close();
  }

  private releaseSession(): void {
    this.owns = false;
    this.lock.release(this);
  }

  /** Leaves the session as a new connection expects it: no half-sent extended query, no open transaction. */
  private async cleanUp(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (!this.owns) return;
    try {
      await this.exec(SYNC_MESSAGE);
      if (this.db.isInTransaction()) await this.exec(simpleQuery('ROLLBACK'));
    } finally {
      this.releaseSession();
    }
  }

  private fail(error: unknown): void {
    this.options.log(`connection closed after an error: ${error instanceof Error ? error.message : String(error)}`);
    this.close();
  }
}

function simpleQuery(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** Serves `db` to any number of PostgreSQL clients, one session owner at a time (see above). */
export class PGliteWireServer {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly lock = new SessionLock();
  private readonly options: Required<PGliteWireServerOptions>;

  constructor(
    private readonly db: PGlite,
    options: PGliteWireServerOptions = {},
  ) {
    this.options = { host: '127.0.0.1', port: 0, idleInTransactionTimeoutMs: 60_000, log: () => undefined, ...options };
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  get host(): string {
    return this.options.host;
  }

  /** Connections open now and connections waiting for the session. */
  stats(): { connections: number; waiting: number } {
    return { connections: this.connections.size, waiting: this.lock.queued };
  }

  async listen(): Promise<void> {
    await this.db.waitReady;
    const server = createServer((socket) => {
      const connection = new Connection(socket, this.db, this.lock, this.options);
      this.connections.add(connection);
      void connection.done.then(() => this.connections.delete(connection));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Stops accepting, closes every connection (rolling back what they left open) and waits for them. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    const connections = [...this.connections];
    for (const connection of connections) connection.close();
    await Promise.all(connections.map((c) => c.done));
    await closed;
  }
}
