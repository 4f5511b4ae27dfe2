import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Runs a model-written Python script over exported data, confined: gVisor (`runsc`) when it works
 * here, else bubblewrap (`bwrap`), else not at all — never on the host unconfined. The script sees
 * the Python runtime (`/usr`, read-only), its inputs at `/input` (read-only) and one writable
 * directory, `/output`; no network (a namespace of its own), no environment but a few harmless
 * variables, no other file of the host. Limits: CPU time, address space, processes, each file's
 * size (kernel rlimits) and wall time, total output size and file count (checked here).
 *
 * Written by hand: the runtimes are the libraries; this module only lays out their arguments and
 * reads back what the script wrote.
 */
export type SandboxRuntime = 'runsc' | 'bwrap';
export type SandboxPreference = SandboxRuntime | 'auto' | 'off';

export interface SandboxLimits {
  cpuSeconds: number;
  wallMs: number;
  memoryBytes: number;
  processes: number;
  /** All files written to /output together (and each one, by RLIMIT_FSIZE). */
  outputBytes: number;
  outputFiles: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  cpuSeconds: 30,
  wallMs: 60_000,
  memoryBytes: 1024 * 1024 * 1024,
  processes: 32,
  outputBytes: 16 * 1024 * 1024,
  outputFiles: 32,
};

export type SandboxRun =
  | { ok: true; files: Map<string, Buffer>; stdout: string; stderr: string; ms: number }
  | { ok: false; reason: string; stdout: string; stderr: string; ms: number };

/** Why custom analysis cannot run here, said to the person who asked. */
export const NO_SANDBOX_MESSAGE =
  'Custom analysis runs the analysis script it writes only inside a sandbox, and none is available here: install gVisor (runsc) or bubblewrap (bwrap) and Python 3 with pandas (/usr/bin/python3), or set AETHER_SANDBOX to the one you have. Aether never runs such a script unconfined.';

/** The uid/gid a sandboxed script runs as when Aether runs as root: nobody (RLIMIT_NPROC does not bind root). */
const NOBODY = 65534;
/** Most bytes of stdout / stderr kept. */
const MAX_STREAM_BYTES = 64 * 1024;
/** Host paths the scientific Python stack needs besides /usr (Debian keeps BLAS behind alternatives, Matplotlib's rc in /etc). */
const ETC_PATHS = ['/etc/alternatives', '/etc/matplotlibrc'];
const SAFE_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: '/tmp', MPLCONFIGDIR: '/tmp', XDG_CACHE_HOME: '/tmp', PYTHONDONTWRITEBYTECODE: '1' };

/** How long "no sandbox here" is believed before the next custom analysis looks again. */
export const SANDBOX_RECHECK_MS = 60_000;

/**
 * `detect` on first use, then its sandbox for the process's life; a "none" is only believed for
 * `recheckMs`, so a runtime installed while Aether runs is found without a restart.
 */
export function sandboxOnDemand(detect: () => Promise<ScriptSandbox | undefined>, recheckMs = SANDBOX_RECHECK_MS, now = () => Date.now()): () => Promise<ScriptSandbox | undefined> {
  let found: Promise<ScriptSandbox | undefined> | undefined;
  let lookedAt = 0;
  return async () => {
    if (!found || ((await found) === undefined && now() - lookedAt >= recheckMs)) {
      lookedAt = now();
      found = detect();
    }
    return found;
  };
}

export class ScriptSandbox {
  private constructor(
    readonly runtime: SandboxRuntime,
    private readonly python: string,
  ) {}

  /**
   * The sandbox to use: the preferred runtime, or (auto) runsc, else bwrap — each tried with a real
   * confined run of Python, once. Undefined when none works (or `off`).
   */
  static async detect(preference: SandboxPreference = 'auto', python = '/usr/bin/python3'): Promise<ScriptSandbox | undefined> {
    if (preference === 'off' || !existsSync(python)) return undefined;
    const candidates: SandboxRuntime[] = preference === 'auto' ? ['runsc', 'bwrap'] : [preference];
    for (const runtime of candidates) {
      const sandbox = new ScriptSandbox(runtime, python);
      const probe = await sandbox.run('print("ok")', {}, { ...DEFAULT_SANDBOX_LIMITS, wallMs: 20_000 }).catch(() => undefined);
      if (probe?.ok && probe.stdout.trim() === 'ok') return sandbox;
    }
    return undefined;
  }

  /** Runs `script` over `inputs` (file name → content, under /input) and reads back /output. */
  async run(script: string, inputs: Record<string, string | Buffer>, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<SandboxRun> {
    const started = performance.now();
    const dir = await mkdtemp(path.join(tmpdir(), 'aether-sandbox-'));
    try {
      const input = path.join(dir, 'input');
      const output = path.join(dir, 'output');
      await mkdir(input);
      await mkdir(output);
      for (const [name, content] of Object.entries(inputs)) {
        if (path.basename(name) !== name || name.startsWith('.')) throw new Error(`input file name ${JSON.stringify(name)} is not a plain file name`);
        await writeFile(path.join(input, name), content, { mode: 0o644 });
      }
      await writeFile(path.join(input, 'script.py'), script, { mode: 0o644 });
      await chmod(dir, 0o755);
      await chmod(input, 0o755);
      const asRoot = process.getuid?.() === 0;
      if (asRoot) await chown(output, NOBODY, NOBODY);

      const command = this.runtime === 'runsc' ? await this.runscCommand(dir, input, output, limits, asRoot) : this.bwrapCommand(input, output, limits);
      const exit = await execute(command.file, command.args, limits, this.runtime === 'bwrap' && asRoot, command.cleanUp);
      const ms = Math.round(performance.now() - started);
      const streams = { stdout: exit.stdout, stderr: exit.stderr, ms };
      if (exit.cpuExceeded) return { ok: false, reason: cpuReason(limits), ...streams };
      if (exit.timedOut) return { ok: false, reason: `the script ran longer than ${limits.wallMs / 1000} s and was stopped`, ...streams };
      if (exit.code !== 0) return { ok: false, reason: failureReason(exit, limits), ...streams };
      const files = await readOutput(output, limits);
      return 'reason' in files ? { ok: false, reason: files.reason, ...streams } : { ok: true, files: files.files, ...streams };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private bwrapCommand(input: string, output: string, limits: SandboxLimits): { file: string; args: string[]; cleanUp?: () => Promise<void> } {
    const etc = ETC_PATHS.filter((p) => existsSync(p)).flatMap((p) => ['--ro-bind', p, p]);
    const env = Object.entries(SAFE_ENV).flatMap(([name, value]) => ['--setenv', name, value]);
    return {
      file: 'bwrap',
      args: [
        '--unshare-all', '--die-with-parent', '--new-session', '--clearenv', ...env,
        '--ro-bind', '/usr', '/usr', ...etc,
        '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
        '--proc', '/proc', '--dev', '/dev', '--size', String(64 * 1024 * 1024), '--tmpfs', '/tmp',
        '--ro-bind', input, '/input', '--bind', output, '/output', '--remount-ro', '/', '--chdir', '/output',
        // prlimit (util-linux, in /usr) sets the kernel limits on the script's process: SIGXCPU at the
        // CPU limit, SIGKILL a second later.
        '/usr/bin/prlimit', `--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`, `--nproc=${limits.processes}`, `--fsize=${limits.outputBytes}`, '--nofile=256', '--',
        this.python, '-I', '/input/script.py',
      ],
    };
  }

  /** An OCI bundle for `runsc run`: an empty read-only root with the same mounts and the limits as rlimits. */
  private async runscCommand(dir: string, input: string, output: string, limits: SandboxLimits, asRoot: boolean) {
    const rootfs = path.join(dir, 'rootfs');
    for (const mount of ['usr', 'input', 'output', 'proc', 'dev', 'tmp', 'etc']) await mkdir(path.join(rootfs, mount), { recursive: true });
    for (const [link, target] of [['bin', 'usr/bin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']]) await symlink(target, path.join(rootfs, link));
    const etc = ETC_PATHS.filter((p) => existsSync(p));
    for (const p of etc) {
      const info = await stat(p);
      if (info.isDirectory()) await mkdir(path.join(rootfs, p), { recursive: true });
      else await writeFile(path.join(rootfs, p), '');
    }
    const bind = (source: string, destination: string, mode: 'ro' | 'rw') => ({ destination, type: 'bind', source, options: ['rbind', mode] });
    const rlimit = (type: string, value: number) => ({ type, hard: value, soft: value });
    const config = {
      ociVersion: '1.0.2',
      process: {
        terminal: false,
        user: asRoot ? { uid: NOBODY, gid: NOBODY } : { uid: 0, gid: 0 },
        args: [this.python, '-I', '/input/script.py'],
        env: Object.entries(SAFE_ENV).map(([name, value]) => `${name}=${value}`),
        cwd: '/output',
        rlimits: [
          rlimit('RLIMIT_AS', limits.memoryBytes),
          rlimit('RLIMIT_CPU', limits.cpuSeconds),
          rlimit('RLIMIT_NPROC', limits.processes),
          rlimit('RLIMIT_FSIZE', limits.outputBytes),
          rlimit('RLIMIT_NOFILE', 256),
        ],
      },
      root: { path: 'rootfs', readonly: true },
      mounts: [
        bind('/usr', '/usr', 'ro'),
        ...etc.map((p) => bind(p, p, 'ro')),
        bind(input, '/input', 'ro'),
        bind(output, '/output', 'rw'),
        { destination: '/proc', type: 'proc', source: 'proc' },
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: [`size=${64 * 1024 * 1024}`] },
      ],
      linux: { namespaces: ['pid', 'network', 'ipc', 'uts', 'mount'].map((type) => ({ type })) },
    };
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
    const state = path.join(dir, 'runsc-state');
    await mkdir(state);
    const id = `aether-${randomUUID()}`;
    const runsc = (...args: string[]) => ['--rootless', '--network=none', '--ignore-cgroups', '--root', state, ...args];
    return {
      file: 'runsc',
      args: runsc('run', '--bundle', dir, id),
      // The sandbox's own processes (sentry, gofer) are not all in runsc's process group.
      cleanUp: async () => {
        await execute('runsc', runsc('delete', '--force', id), { ...DEFAULT_SANDBOX_LIMITS, wallMs: 10_000 }, false).catch(() => undefined);
      },
    };
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cpuExceeded: boolean;
  stdout: string;
  stderr: string;
}

/** How often the CPU time of a run is read. */
const CPU_POLL_MS = 200;

/**
 * Spawns the runtime in its own process group, with no environment of Aether's, and kills the group
 * at the wall-time limit or when the run's processes together used more CPU time than allowed —
 * read from /proc, because gVisor's sentry does not enforce RLIMIT_CPU (the kernel does, for bwrap).
 */
function execute(file: string, args: string[], limits: SandboxLimits, dropToNobody: boolean, cleanUp?: () => Promise<void>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      ...(dropToNobody ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const keep = (chunks: Buffer[]) => (chunk: Buffer) => {
      if (chunks.reduce((n, c) => n + c.length, 0) < MAX_STREAM_BYTES) chunks.push(chunk);
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    let timedOut = false;
    let cpuExceeded = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, limits.wallMs);
    const cpuWatch = setInterval(() => {
      if (child.pid && treeCpuSeconds(child.pid) > limits.cpuSeconds + 1) {
        cpuExceeded = true;
        killGroup();
      }
    }, CPU_POLL_MS);
    const stopTimers = () => {
      clearTimeout(timer);
      clearInterval(cpuWatch);
    };
    child.on('error', (error) => {
      stopTimers();
      reject(error);
    });
    child.on('close', (code, signal) => {
      stopTimers();
      // Whatever the runtime left in its process group (a helper still exiting) goes with it.
      killGroup();
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).subarray(0, MAX_STREAM_BYTES).toString('utf8');
      const exit = { code, signal, timedOut, cpuExceeded, stdout: text(out), stderr: text(err) };
      void (cleanUp ? cleanUp() : Promise.resolve()).finally(() => resolve(exit));
    });
  });
}

/** CPU seconds (user + system) used so far by `root` and every process below it. */
function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command (which may hold spaces or parentheses) start after the last ') '.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Exited while being read.
    }
  }
  let ticks = 0;
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) pending.push(child);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ, 100 on every Linux architecture Aether runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function cpuReason(limits: SandboxLimits): string {
  return `the script used more than ${limits.cpuSeconds} s of CPU time and was stopped`;
}

/** The script's failure in a person's words, from its exit and its last error line. */
function failureReason(exit: Exit, limits: SandboxLimits): string {
  const lastLine = exit.stderr.trim().split('\n').filter((line) => !/^Fontconfig/.test(line)).at(-1) ?? '';
  // SIGXCPU at the soft limit (bwrap reports a signal as 128 + its number).
  if (exit.signal === 'SIGXCPU' || exit.code === 152) return cpuReason(limits);
  if (/MemoryError|Cannot allocate memory|std::bad_alloc/.test(exit.stderr)) return `the script needed more than ${Math.round(limits.memoryBytes / 2 ** 20)} MiB of memory and was stopped`;
  if (exit.signal === 'SIGXFSZ' || exit.code === 153 || /File too large/.test(exit.stderr)) return `the script wrote more than ${Math.round(limits.outputBytes / 2 ** 20)} MiB and was stopped`;
  const how = exit.signal ? `was killed (${exit.signal})` : `failed (exit code ${exit.code})`;
  return lastLine ? `the script ${how}: ${lastLine.slice(0, 300)}` : `the script ${how}`;
}

/** Every plain file the script left in /output, within the output limits. */
async function readOutput(output: string, limits: SandboxLimits): Promise<{ files: Map<string, Buffer> } | { reason: string }> {
  const entries = (await readdir(output, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  if (entries.length > limits.outputFiles) return { reason: `the script wrote ${entries.length} files, more than the ${limits.outputFiles} allowed` };
  const files = new Map<string, Buffer>();
  let total = 0;
  for (const entry of entries) {
    // A link or a directory is not an output (a link could point anywhere on the host).
    if (!entry.isFile()) continue;
    const content = await readFile(path.join(output, entry.name));
    total += content.length;
    if (total > limits.outputBytes) return { reason: `the script wrote more than ${Math.round(limits.outputBytes / 2 ** 20)} MiB` };
    files.set(entry.name, content);
  }
  return { files };
}
