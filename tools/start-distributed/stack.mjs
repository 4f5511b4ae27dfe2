// Starts Aether as separate processes on loopback: the demo home, the 7 agent services and the
// gateway, each from its built bundle (dist/apps/<name>/main.js). Used by `npm run
// start:distributed` and by the end-to-end tests, so both exercise exactly the same start-up.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Service name → [default port, env variable other services use to reach it]. */
export const AGENTS = {
  orchestrator: [8007, 'ORCHESTRATOR_SERVICE_URL'],
  architect: [8001, 'ARCHITECT_SERVICE_URL'],
  'ds-orchestrator': [8002, 'DS_ORCHESTRATOR_URL'],
  'ds-analysts': [8003, 'DS_ANALYSTS_URL'],
  developer: [8004, 'DEVELOPER_SERVICE_URL'],
  librarian: [8005, 'LIBRARIAN_SERVICE_URL'],
  'dashboard-designer': [8006, 'DASHBOARD_DESIGNER_SERVICE_URL'],
};
export const GATEWAY_PORT = 8000;
export const HA_DEMO_PORT = 8123;
export const HA_DEMO_TOKEN = 'aether-demo-token';

/** A port the OS reports free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts one built app as a child process and resolves once `healthPath` answers 2xx.
 * Rejects (with the child's output) if it exits first or is not healthy within `timeoutMs`.
 */
export async function startApp(app, { env = {}, port, healthPath = '/health', healthHeaders = {}, timeoutMs = 30_000, onOutput } = {}) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
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
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
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

/**
 * Starts the demo home, every agent service and the gateway.
 * @param {object} options
 * @param {boolean} [options.randomPorts] use free ports instead of 8000–8007/8123 (tests)
 * @param {Record<string,string>} [options.env] extra environment for every service
 * @param {string} [options.haUrl] use this Home Assistant instead of starting the demo home
 * @param {number} [options.timeoutMs] how long each service may take to become healthy
 */
export async function startDistributedStack({ randomPorts = false, env = {}, haUrl, haToken, onOutput, timeoutMs } = {}) {
  const serviceToken = env.AETHER_SERVICE_TOKEN ?? randomBytes(24).toString('hex');
  const ports = {};
  for (const [name, [port]] of Object.entries(AGENTS)) ports[name] = randomPorts ? await freePort() : port;
  const gatewayPort = randomPorts ? await freePort() : GATEWAY_PORT;
  const started = [];
  const stopAll = () => Promise.all(started.map((s) => s.stop()));

  try {
    let ha = haUrl ? { url: haUrl, token: haToken } : undefined;
    if (!ha) {
      const demo = await startDemoHomeApp({ port: randomPorts ? await freePort() : HA_DEMO_PORT, env, onOutput });
      started.push(demo);
      ha = { url: demo.url, token: HA_DEMO_TOKEN };
    }

    const shared = {
      DEPLOYMENT_MODE: 'distributed',
      AETHER_SERVICE_TOKEN: serviceToken,
      ...Object.fromEntries(Object.entries(AGENTS).map(([name, [, variable]]) => [variable, `http://127.0.0.1:${ports[name]}`])),
      ...env,
      // Every service talks to the one Home Assistant of the stack (an HA_URL left blank in `env`
      // to pin defaults must not give each service an embedded demo home of its own).
      HA_URL: ha.url,
      HA_TOKEN: ha.token ?? '',
    };
    // Settle every start before judging, so that when one service fails the others that did come
    // up are stopped too rather than left running.
    const starts = await Promise.allSettled(
      Object.keys(AGENTS).map((name) => startApp(name, { port: ports[name], env: shared, onOutput, timeoutMs })),
    );
    const agents = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    started.push(...agents);
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    const gateway = await startApp('gateway', { port: gatewayPort, env: shared, healthPath: '/api/v1/health', onOutput, timeoutMs });
    started.push(gateway);

    return {
      gateway,
      agents: Object.fromEntries(agents.map((a) => [a.app, a])),
      ha,
      serviceToken,
      env: shared,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
