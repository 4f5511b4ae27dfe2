import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The compose implementation (`podman-compose`, `docker compose`, …) and the engine behind it. */
export const COMPOSE = (process.env.COMPOSE ?? 'podman-compose').split(' ').filter(Boolean);
export const ENGINE = process.env.CONTAINER_ENGINE ?? (COMPOSE[0].includes('docker') ? 'docker' : 'podman');

export interface ComposeStackOptions {
  /** Compose project name: keeps this stack's containers, network and volumes apart. */
  project: string;
  /** Compose files from the repository root, in order (`compose.yaml`, `compose.distributed.yaml`). */
  files: string[];
  /** The stack's `.env`. */
  env: Record<string, string>;
}

/**
 * A compose stack started from the repository's compose files, the way a user starts it. The files
 * are copied into a directory of the stack's own with a `.env` of the test's settings: compose reads
 * `.env` beside the files (podman-compose 1.0 lets it override the shell), so a developer's own
 * `.env` never leaks into a test. Images must exist (`make build-services`); nothing is pulled.
 */
export class ComposeStack {
  readonly dir: string;
  /** Container names by service: compose keeps a service's name across stop/start/restart. */
  private readonly containers = new Map<string, string>();

  constructor(private readonly options: ComposeStackOptions) {
    this.dir = mkdtempSync(path.join(tmpdir(), `aether-${options.project}-`));
    for (const file of options.files) copyFileSync(path.join(root, file), path.join(this.dir, file));
    const dotenv = Object.entries(options.env).map(([key, value]) => `${key}=${value}`);
    writeFileSync(path.join(this.dir, '.env'), `${dotenv.join('\n')}\n`);
  }

  async compose(...args: string[]): Promise<string> {
    const fileArgs = this.options.files.flatMap((file) => ['-f', file]);
    const [command, ...prefix] = COMPOSE;
    try {
      const { stdout } = await run(command, [...prefix, '-p', this.options.project, ...fileArgs, ...args], {
        cwd: this.dir,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${COMPOSE.join(' ')} ${args.join(' ')} failed:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
    }
  }

  up(services: string[]): Promise<string> {
    return this.compose('up', '-d', ...services);
  }

  /** The container of a service (compose labels are set by podman-compose and Docker Compose alike). */
  async container(service: string): Promise<string> {
    const known = this.containers.get(service);
    if (known) return known;
    const { stdout } = await run(ENGINE, [
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${this.options.project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
      '--format',
      '{{.Names}}',
    ]);
    const name = stdout.trim().split('\n')[0];
    if (!name) throw new Error(`no container for service ${service} in project ${this.options.project}`);
    this.containers.set(service, name);
    return name;
  }

  /**
   * Runs the container's own health check once. Podman schedules health checks with systemd
   * timers, and machines without systemd (CI containers, WSL) never run them, so the test runs
   * them itself — the same command, the same recorded status. Docker runs them on its own.
   */
  async healthy(service: string): Promise<boolean> {
    const container = await this.container(service);
    if (ENGINE === 'podman') {
      return run('podman', ['healthcheck', 'run', container]).then(
        () => true,
        () => false,
      );
    }
    const { stdout } = await run(ENGINE, ['inspect', '--format', '{{.State.Health.Status}}', container]);
    return stdout.trim() === 'healthy';
  }

  /**
   * Waits until every service's health check passes; the error names those that never did. One
   * check at a time: each is a process in the container, and ten at once would slow the start-up
   * they are waiting for on a small machine.
   */
  async waitHealthy(services: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending = [...services];
    while (pending.length > 0) {
      const stillPending: string[] = [];
      for (const service of pending) if (!(await this.healthy(service))) stillPending.push(service);
      pending = stillPending;
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`not healthy after ${timeoutMs} ms: ${pending.join(', ')}\n${await this.logs(pending)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** The last log lines of some services, for failure messages. */
  async logs(services: string[], lines = 40): Promise<string> {
    const parts = await Promise.all(
      services.map(async (service) => {
        try {
          const container = await this.container(service);
          const { stdout, stderr } = await run(ENGINE, ['logs', '--tail', String(lines), container]);
          return `--- ${service}\n${stdout}${stderr}`;
        } catch (error) {
          return `--- ${service}: ${(error as Error).message}`;
        }
      }),
    );
    return parts.join('\n');
  }

  /** Removes every container, the network and the volumes of the stack, then its directory. */
  async down(): Promise<void> {
    try {
      await this.compose('down', '-v');
    } finally {
      // Whatever compose left behind (a failed `up` can leave containers it no longer lists).
      const { stdout } = await run(ENGINE, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${this.options.project}`]);
      const ids = stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await run(ENGINE, ['rm', '-f', '-v', ...ids]).catch(() => undefined);
      await run(ENGINE, ['volume', 'prune', '-f', '--filter', `label=com.docker.compose.project=${this.options.project}`]).catch(() => undefined);
      await run(ENGINE, ['network', 'rm', '-f', `${this.options.project}_aether`]).catch(() => undefined);
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
