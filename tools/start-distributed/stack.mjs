// Starts Aether as separate processes on loopback: the demo home, the 7 agent services and the
// gateway, each from its built bundle (dist/apps/<name>/main.js), and — without DATABASE_URL — one
// database server they all share (PGlite over the PostgreSQL wire protocol, libs/persistence/src/
// server). Used by `npm run start:distributed` and by the end-to-end tests, so both exercise
// exactly the same start-up.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The agent table itself (erasable TypeScript, which Node runs as is): the services and ports here
// are the ones the apps are built from.
import { AGENT_TABLE, GATEWAY_PORT } from '../../libs/core/src/lib/agent-table.ts';
import { nodeFlagsFor, SERVICE_ENV, SERVICE_NODE_FLAGS } from '../build/node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { GATEWAY_PORT };
/** Service name → [default port, env variable other services use to reach it], from AGENT_TABLE. */
export const AGENTS = Object.fromEntries(AGENT_TABLE.map((agent) => [agent.name, [agent.port, agent.urlEnv]]));
export const HA_DEMO_PORT = 8123;
export const HA_DEMO_TOKEN = 'aether-demo-token';
/** Loopback port of the stack's embedded database server (AETHER_DATABASE_PORT overrides; random ports in tests). */
export const DATABASE_PORT = 8432;

// Why not listen(0): the kernel hands out ports from its ephemeral range, the range every outgoing
// connection (pg clients, fetch) also takes its source port from, so between our close() and the
// child's listen() another socket could take it (seen in CI: EADDRINUSE under the parallel lanes).
// Ports below that range are only ever taken by a listen(), so a random free one stays free.
const PORT_FLOOR = 10_000;
// The one port above the floor on the Fetch standard's "bad ports" list: fetch (undici) refuses it
// ("bad port"), so a service there could not be reached by the tests' clients (seen once in CI).
const FETCH_BAD_PORTS = new Set([10_080]);
const handedOut = new Set();

function ephemeralRangeStart() {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(start)) return start;
  } catch {
    // not Linux: the IANA range (macOS) starts above Linux's default, so Linux's default is safe
  }
  return 32_768;
}

function listenOnce(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port free on 127.0.0.1 right now, below the ephemeral range, never handed out twice by this process. */
export async function freePort() {
  const ceiling = ephemeralRangeStart();
  for (let attempt = 0; ceiling - PORT_FLOOR > 1_000 && attempt < 100; attempt++) {
    const port = randomInt(PORT_FLOOR, ceiling);
    if (handedOut.has(port) || FETCH_BAD_PORTS.has(port)) continue;
    if ((await listenOnce(port)) === port) {
      handedOut.add(port);
      return port;
    }
  }
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('no free loopback port');
  return port;
}

/**
 * Starts one built app as a child process and resolves once `healthPath` answers 2xx.
 * Rejects (with the child's output) if it exits first or is not healthy within `timeoutMs`.
 */
export async function startApp(app, { env = {}, port, healthPath = '/health', healthHeaders = {}, timeoutMs = 30_000, onOutput } = {}) {
  const url = `http://127.0.0.1:${port}`;
  const childEnv = { ...SERVICE_ENV, ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  const child = spawn(process.execPath, [...nodeFlagsFor(app, childEnv), path.join(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    onOutput?.(app, text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const deadline = Date.now() + timeoutMs;
  let healthy = false;
  while (!healthy) {
    const early = await Promise.race([exited, Promise.resolve(null)]);
    if (early) throw new Error(`${app} exited (${early.code ?? early.signal}) before becoming healthy:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} not healthy at ${url}${healthPath} within ${timeoutMs} ms:\n${output}`);
    }
    try {
      const res = await fetch(url + healthPath, { headers: healthHeaders, signal: AbortSignal.timeout(1000) });
      healthy = res.ok;
    } catch {
      // not listening yet
    }
    // Poll the real health endpoint until it answers; this is the readiness signal, not a delay.
    if (!healthy) await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
  }

  return {
    app,
    url,
    port,
    child,
    exited,
    output: () => output,
    /** SIGTERM, then SIGKILL after 5 s. */
    stop: () => stopChild(child, exited, 5_000),
  };
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
async function stopChild(child, exited, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the demo home app (accepting HA_DEMO_TOKEN) and resolves once its API answers.
 * @param {{ port: number, env?: Record<string,string>, onOutput?: (app: string, text: string) => void }} options
 */
export function startDemoHomeApp({ port, env = {}, onOutput }) {
  return startApp('ha-demo', {
    port,
    env: { HA_DEMO_TOKEN, ...env },
    healthPath: '/api/',
    healthHeaders: { Authorization: `Bearer ${HA_DEMO_TOKEN}` },
    onOutput,
  });
}

/** Bundles the database server's entry (a fraction of a second) and returns the bundle's path. */
export async function buildDatabaseServer() {
  const { bundle } = await import('../build/build-app.mjs');
  return bundle(path.join(root, 'libs/persistence/src/server/database-server.main.ts'), path.join(root, 'dist/tools/database-server/main.js'));
}

/** `postgres://user:***@host/db` → `host/db` for logs (never a password). */
export function describeDatabaseUrl(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Starts the stack's database server (PGlite on `<AETHER_DATA_DIR>/database/pglite`, served on
 * 127.0.0.1:`port`, schema migrated) as a child process and resolves once it reports ready.
 * @param {{ port: number, env?: Record<string,string>, timeoutMs?: number, onOutput?: (app: string, text: string) => void }} options
 */
export async function startDatabaseServerProcess({ port, env = {}, timeoutMs = 60_000, onOutput }) {
  const entry = await buildDatabaseServer();
  // --expose-gc: after creating a database the server collects initdb's temporary PGlite at once.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--expose-gc', entry], {
    cwd: root,
    env: { ...SERVICE_ENV, ...process.env, ...env, AETHER_DATABASE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    onOutput?.('database', text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let timer;
  const ready = await Promise.race([
    new Promise((resolve) => child.on('message', (message) => message?.type === 'ready' && resolve(message))),
    exited.then(({ code, signal }) => Promise.reject(new Error(`database server exited (${code ?? signal}) before it was ready:\n${output}`))),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`database server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    }),
  ]).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  }).finally(() => clearTimeout(timer));
  // The IPC channel stays open (the server shuts down if this process vanishes) without keeping this process alive.
  child.channel?.unref();
  return {
    app: 'database',
    url: ready.url,
    port: ready.port,
    dataDir: ready.dataDir,
    created: ready.created,
    child,
    exited,
    output: () => output,
    /** SIGTERM (connections closed, PGlite checkpointed), then SIGKILL after 10 s. */
    stop: () => stopChild(child, exited, 10_000),
  };
}

/**
 * Starts the demo home, every agent service and the gateway; without a DATABASE_URL (in `env`, else
 * in this process's environment) first one database server they all use, stopped last.
 * @param {object} options
 * @param {boolean} [options.randomPorts] use free ports instead of 8000–8007/8123/8432 (tests)
 * @param {Record<string,string>} [options.env] extra environment for every service
 * @param {string} [options.haUrl] use this Home Assistant instead of starting the demo home
 * @param {number} [options.timeoutMs] how long each service may take to become healthy
 * @param {(line: string) => void} [options.log] where the stack's own lines go (default console.log)
 */
export async function startDistributedStack({ randomPorts = false, env = {}, haUrl, haToken, onOutput, timeoutMs, log = (line) => console.log(line) } = {}) {
  const serviceToken = env.AETHER_SERVICE_TOKEN ?? randomBytes(24).toString('hex');
  const ports = {};
  for (const [name, [port]] of Object.entries(AGENTS)) ports[name] = randomPorts ? await freePort() : port;
  const gatewayPort = randomPorts ? await freePort() : GATEWAY_PORT;
  const givenUrl = ('DATABASE_URL' in env ? env.DATABASE_URL : process.env.DATABASE_URL)?.trim();
  const databasePort = givenUrl ? undefined : randomPorts ? await freePort() : Number(process.env.AETHER_DATABASE_PORT || DATABASE_PORT);
  let home;
  let database = givenUrl ? { kind: 'postgres', url: givenUrl, server: undefined } : undefined;
  let services = [];
  let shared;

  const stack = { gateway: undefined, agents: {}, ha: undefined, serviceToken, env: undefined, database: undefined };

  /** Services first (in parallel), the database server last. */
  const stopServices = () => Promise.all(services.splice(0).map((s) => s.stop()));
  const stopDatabase = async () => {
    await database?.server?.stop();
  };
  const stopAll = async () => {
    await Promise.all([stopServices(), home?.stop()]);
    await stopDatabase();
  };

  const startDatabase = async () => {
    if (givenUrl) return;
    const server = await startDatabaseServerProcess({ port: databasePort, env: shared, onOutput, timeoutMs: Math.max(timeoutMs ?? 0, 120_000) });
    database = { kind: 'embedded', url: server.url, dataDir: server.dataDir, server };
    shared.DATABASE_URL = server.url;
  };

  const startServices = async () => {
    // Settle every start before judging, so that when one service fails the others that did come
    // up are stopped too rather than left running.
    const starts = await Promise.allSettled(
      Object.keys(AGENTS).map((name) => startApp(name, { port: ports[name], env: shared, onOutput, timeoutMs })),
    );
    const agents = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    services.push(...agents);
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    // Agents are waited on for liveness (their /ready probes each other on an interval, so waiting
    // for it would serialise the start); the gateway for readiness: database, entry agent reachable.
    const gateway = await startApp('gateway', { port: gatewayPort, env: shared, healthPath: '/api/v1/ready', onOutput, timeoutMs });
    services.push(gateway);
    Object.assign(stack, { gateway, agents: Object.fromEntries(agents.map((a) => [a.app, a])), database, env: shared });
  };

  try {
    shared = {
      DEPLOYMENT_MODE: 'distributed',
      AETHER_SERVICE_TOKEN: serviceToken,
      ...Object.fromEntries(Object.entries(AGENTS).map(([name, [, variable]]) => [variable, `http://127.0.0.1:${ports[name]}`])),
      ...env,
    };
    // The demo home and the database server need nothing from each other: start them together.
    const homePort = haUrl ? undefined : randomPorts ? await freePort() : HA_DEMO_PORT;
    const [homeStart, databaseStart] = await Promise.allSettled([
      homePort ? startDemoHomeApp({ port: homePort, env, onOutput }).then((started) => (home = started)) : undefined,
      startDatabase(),
    ]);
    for (const start of [homeStart, databaseStart]) if (start.status === 'rejected') throw start.reason;
    const ha = home ? { url: home.url, token: HA_DEMO_TOKEN } : { url: haUrl, token: haToken };
    stack.ha = ha;
    // Every service talks to the one Home Assistant of the stack (an HA_URL left blank in `env`
    // to pin defaults must not give each service an embedded demo home of its own).
    Object.assign(shared, { HA_URL: ha.url, HA_TOKEN: ha.token ?? '' });
    log(
      database.kind === 'embedded'
        ? `database: one embedded PGlite server for the stack at ${database.url} (data in ${database.dataDir}); set DATABASE_URL to use PostgreSQL`
        : `database: PostgreSQL at ${describeDatabaseUrl(database.url)} (DATABASE_URL)`,
    );
    await startServices();

    return Object.assign(stack, {
      stop: stopAll,
      /**
       * Stops every service and the gateway, then the database server; starts them again in start
       * order with the same ports and environment (the demo home keeps running: it stands for the
       * user's Home Assistant).
       */
      async restart() {
        await stopServices();
        await stopDatabase();
        await startDatabase();
        await startServices();
        return stack;
      },
      /**
       * Stops the named services (agents, or 'gateway') and starts them again on the same ports
       * with the same environment, while the rest of the stack keeps running.
       */
      async restartServices(names) {
        const chosen = services.filter((service) => names.includes(service.app));
        await Promise.all(chosen.map((service) => service.stop()));
        for (const service of chosen) services.splice(services.indexOf(service), 1);
        const agents = await Promise.all(names.filter((name) => name !== 'gateway').map((name) => startApp(name, { port: ports[name], env: shared, onOutput, timeoutMs })));
        services.push(...agents);
        Object.assign(stack.agents, Object.fromEntries(agents.map((agent) => [agent.app, agent])));
        if (names.includes('gateway')) {
          stack.gateway = await startApp('gateway', { port: gatewayPort, env: shared, healthPath: '/api/v1/ready', onOutput, timeoutMs });
          services.push(stack.gateway);
        }
        return stack;
      },
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}
