import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SANDBOX_LIMITS, sandboxOnDemand, ScriptSandbox, type SandboxRun, type SandboxRuntime } from './script-sandbox';

/**
 * The confinement, proven per runtime with real runs of Python. CI installs both runtimes (see
 * .ci/run), so there a missing one fails the suite; elsewhere its tests are skipped, said once.
 */
const runtimes: SandboxRuntime[] = ['runsc', 'bwrap'];

describe.each(runtimes)('ScriptSandbox on %s', (runtime) => {
  let sandbox: ScriptSandbox | undefined;
  let server: Server;
  let port = 0;
  let connections = 0;
  let hostDir: string;

  beforeAll(async () => {
    sandbox = await ScriptSandbox.detect(runtime);
    if (!sandbox && process.env['CI']) throw new Error(`${runtime} does not work on this CI machine: .ci/run installs it`);
    if (!sandbox) console.warn(`${runtime} is not usable here: its sandbox tests are skipped`);
    server = createServer((socket) => {
      connections += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    hostDir = mkdtempSync(path.join(tmpdir(), 'aether-sandbox-host-'));
    writeFileSync(path.join(hostDir, 'secret.txt'), 'host secret');
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(hostDir, { recursive: true, force: true });
  });

  const run = async (script: string, inputs: Record<string, string> = {}, limits = {}): Promise<SandboxRun> => {
    if (!sandbox) throw new Error('unreachable');
    return sandbox.run(script, inputs, { ...DEFAULT_SANDBOX_LIMITS, ...limits });
  };
  const maybe = (name: string, fn: () => Promise<void>, timeout = 60_000) => it(name, async () => (sandbox ? fn() : undefined), timeout);

  maybe('runs a pandas script over its inputs and returns what it wrote to /output', async () => {
    const result = await run(
      [
        'import json, pandas as pd',
        "df = pd.read_csv('/input/daily.csv')",
        "json.dump({'mean': float(df['kwh'].mean()), 'rows': len(df)}, open('/output/findings.json', 'w'))",
        "print('done')",
      ].join('\n'),
      { 'daily.csv': 'day,kwh\n2026-11-01,10\n2026-11-02,14\n' },
    );
    expect(result).toMatchObject({ ok: true, stdout: 'done\n' });
    expect(jsonFile(result, 'findings.json')).toEqual({ mean: 12, rows: 2 });
  });

  maybe('reaches no network: a connection to a loopback server on the host is refused', async () => {
    const result = await run(`import socket\nsocket.create_connection(('127.0.0.1', ${port}), timeout=3)`);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: expect.stringMatching(/Connection refused|Network is unreachable|timed out/) });
    expect(connections).toBe(0);
  });

  maybe("reads nothing outside its inputs and sees none of the service's environment", async () => {
    process.env['AETHER_TEST_SECRET'] = 'sk-do-not-leak';
    try {
      const result = await run(
        [
          'import os, json',
          'seen = {}',
          `for p in ['${path.join(hostDir, 'secret.txt')}', '/etc/passwd', '/etc/hostname', '/root', '/home']:`,
          '    try:',
          '        seen[p] = open(p).read()[:20] if os.path.isfile(p) else os.listdir(p)',
          '    except OSError as e:',
          '        seen[p] = type(e).__name__',
          "json.dump({'seen': seen, 'env': dict(os.environ)}, open('/output/out.json', 'w'))",
        ].join('\n'),
      );
      const { seen, env } = jsonFile(result, 'out.json');
      expect(Object.values(seen).every((value) => value === 'FileNotFoundError')).toBe(true);
      expect(JSON.stringify(env)).not.toContain('sk-do-not-leak');
      expect(Object.keys(env).sort()).toEqual(expect.arrayContaining(['PATH']));
      expect(Object.keys(env).some((name) => /TOKEN|KEY|SECRET|PASSWORD|DATABASE/i.test(name))).toBe(false);
    } finally {
      delete process.env['AETHER_TEST_SECRET'];
    }
  });

  maybe('writes nowhere but /output (and its own /tmp): its inputs and the runtime are read-only', async () => {
    const result = await run(
      [
        'import json',
        'out = {}',
        "for p in ['/input/x', '/usr/x', '/x', '/etc/x']:",
        '    try:',
        "        open(p, 'w').write('x'); out[p] = 'written'",
        '    except OSError as e:',
        '        out[p] = type(e).__name__',
        "json.dump(out, open('/output/out.json', 'w'))",
      ].join('\n'),
    );
    const out = jsonFile(result, 'out.json');
    expect(Object.values(out).includes('written')).toBe(false);
  });

  maybe('stops a script that needs more memory than its limit', async () => {
    const result = await run('x = bytearray(512 * 1024 * 1024)\nprint(len(x))', {}, { memoryBytes: 256 * 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('more than 256 MiB of memory') });
  });

  maybe('stops a script that spins past its CPU time', async () => {
    const result = await run('while True:\n    pass', {}, { cpuSeconds: 1, wallMs: 30_000 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('more than 1 s of CPU time') });
    expect(result.ms).toBeLessThan(20_000);
  });

  maybe('stops a script that outlives its wall time (sleeping costs no CPU)', async () => {
    const result = await run('import time\ntime.sleep(120)', {}, { wallMs: 1_500 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('ran longer than 1.5 s') });
    expect(result.ms).toBeLessThan(15_000);
  });

  maybe('bounds a fork bomb by its process limit, and leaves no process behind', async () => {
    const result = await run(
      ['import os, time', 'n = 0', 'while True:', '    if os.fork() == 0:', '        time.sleep(30); os._exit(0)', '    n += 1'].join('\n'),
      {},
      { processes: 16, wallMs: 20_000 },
    );
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/Resource temporarily unavailable|BlockingIOError/) });
    // The runtime's own processes are being reaped as the run returns: wait for that, boundedly.
    const deadline = Date.now() + 10_000;
    while (sandboxProcesses().length > 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(sandboxProcesses()).toEqual([]);
  });

  maybe('refuses output beyond its size limit', async () => {
    const result = await run("open('/output/big.bin', 'wb').write(b'x' * (8 * 1024 * 1024))", {}, { outputBytes: 1024 * 1024 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('more than 1 MiB') });
  });
});

describe('ScriptSandbox without a runtime', () => {
  it('is unavailable when turned off or when Python is missing: custom analysis is refused, nothing runs unconfined', async () => {
    expect(await ScriptSandbox.detect('off')).toBeUndefined();
    expect(await ScriptSandbox.detect('auto', '/nonexistent/python3')).toBeUndefined();
  });

  it('is looked for on first use and kept once found; "none" is believed for a minute, then looked for again', async () => {
    let clock = 0;
    let installed: ScriptSandbox | undefined = undefined;
    let looks = 0;
    const found = sandboxOnDemand(async () => (looks++, installed), 60_000, () => clock);
    expect(looks).toBe(0);
    expect(await found()).toBeUndefined();
    clock = 59_999;
    expect(await found()).toBeUndefined();
    expect(looks).toBe(1);
    installed = {} as ScriptSandbox; // runsc or bwrap installed meanwhile
    clock = 60_000;
    expect(await found()).toBe(installed);
    clock = 10 * 60_000;
    expect(await found()).toBe(installed);
    expect(looks).toBe(2);
  });
});

/** A JSON file the script wrote to /output (the run must have succeeded). */
function jsonFile(result: SandboxRun, name: string) {
  expect(result).toMatchObject({ ok: true });
  const file = result.ok ? result.files.get(name) : undefined;
  if (!file) throw new Error(`the script wrote no ${name}`);
  return JSON.parse(file.toString());
}

/** Processes of a sandbox still on this host: the runtime (its bundle or mounts name the run's directory) or the script and its forks. */
function sandboxProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'args', '--no-headers'])
    .toString()
    .split('\n')
    .filter((args) => args.includes('aether-sandbox-') || args.includes('/input/script.py'));
}
