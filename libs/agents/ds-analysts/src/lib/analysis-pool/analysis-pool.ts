import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Piscina } from 'piscina';

/** Optional settings of the analysis pool (a Nest provider under `ANALYSIS_POOL_OPTIONS`). */
export interface AnalysisPoolOptions {
  /**
   * Folder holding the bundled worker files (`<worker>.js`). Default: `workers/` beside the app's
   * entry point, `main.js` (dist/apps/<app>/workers, where tools/build/build-app.mjs puts every
   * `*.worker.ts`; this code itself may sit in a chunk elsewhere). Tests running TypeScript
   * sources point it at a folder they built.
   */
  workersDir?: string | URL;
  /** Default: the machine's available parallelism (2 on the small machines HA homes run on). */
  maxThreads?: number;
  /** An idle thread ends after this long, so an idle service soon holds no threads or their heaps (each ~10 MB). Default 5 s. */
  idleTimeoutMs?: number;
}

export const ANALYSIS_POOL_OPTIONS = Symbol('ANALYSIS_POOL_OPTIONS');

export interface AnalysisRunOptions {
  /** Aborting rejects the run (and frees its thread if the task had started). */
  signal?: AbortSignal;
  /**
   * Buffers in `input` to move to the worker instead of copying (zero-copy; they become unusable
   * here), e.g. the bytes of a large HTTP answer.
   */
  transfer?: ArrayBuffer[];
}

/**
 * Runs CPU-heavy analysis off the event loop: `run('energy-analysis', 'analyseEnergyHistory', input)`
 * calls the export `analyseEnergyHistory` of the worker file `energy-analysis.js` (bundled from
 * `energy-analysis.worker.ts`) in a worker thread and resolves with its (structured-cloned) result.
 * Errors thrown by the task reject the run with their message.
 *
 * Nothing starts until the first run: an idle service creates no pool and no threads. Threads end
 * after `idleTimeoutMs` without work and all of them with the application.
 */
@Injectable()
export class AnalysisPool implements OnApplicationShutdown {
  private readonly pools = new Map<string, Piscina>();
  private readonly workersDir: URL;
  private readonly maxThreads: number;
  private readonly idleTimeoutMs: number;
  private closed = false;
  private piscina?: Promise<typeof Piscina>;

  constructor(@Optional() @Inject(ANALYSIS_POOL_OPTIONS) options: AnalysisPoolOptions | null = null) {
    this.workersDir = directoryUrl(options?.workersDir ?? new URL('./workers/', pathToFileURL(process.argv[1] ?? '')));
    this.maxThreads = Math.max(1, options?.maxThreads ?? availableParallelism());
    this.idleTimeoutMs = options?.idleTimeoutMs ?? 5_000;
  }

  /** Runs the export `task` of worker file `worker` with `input` in a worker thread. */
  async run<Input, Output>(worker: string, task: string, input: Input, options: AnalysisRunOptions = {}): Promise<Output> {
    // piscina itself loads on first use too: a service that never analyses does not pay for it.
    this.piscina ??= import('piscina').then((module) => module.Piscina);
    const pool = this.poolFor(worker, await this.piscina);
    return (await pool.run(input, {
      name: task,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.transfer?.length ? { transferList: options.transfer } : {}),
    })) as Output;
  }

  /** The worker threads alive now, across worker files (none before the first run and after idling). */
  get threads(): Worker[] {
    return [...this.pools.values()].flatMap((pool) => pool.threads);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private poolFor(worker: string, PiscinaPool: typeof Piscina): Piscina {
    if (this.closed) throw new Error(`the analysis pool is shut down; cannot run ${worker}`);
    let pool = this.pools.get(worker);
    if (!pool) {
      if (!/^[a-z0-9-]+$/.test(worker)) throw new Error(`invalid analysis worker name "${worker}"`);
      const file = new URL(`${worker}.js`, this.workersDir);
      // No in-process fallback: a missing worker file is a broken build and must say so.
      if (!existsSync(file)) {
        throw new Error(
          `analysis worker file ${fileURLToPath(file)} is missing: it is bundled from libs/**/src/**/${worker}.worker.ts ` +
            'by tools/build/build-app.mjs (rebuild the app)',
        );
      }
      pool = new PiscinaPool({ filename: file.href, minThreads: 0, maxThreads: this.maxThreads, idleTimeout: this.idleTimeoutMs });
      this.pools.set(worker, pool);
    }
    return pool;
  }
}

function directoryUrl(dir: string | URL): URL {
  const url = typeof dir === 'string' ? pathToFileURL(dir) : dir;
  return url.href.endsWith('/') ? url : new URL(`${url.href}/`);
}
