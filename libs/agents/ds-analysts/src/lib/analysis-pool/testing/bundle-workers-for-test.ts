import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../../../../', import.meta.url));

export interface TestWorkers {
  /** Folder to pass as `AnalysisPoolOptions.workersDir`. */
  dir: string;
  remove(): void;
}

/**
 * Jest runs TypeScript sources, not bundles, so `AnalysisPool` cannot find workers next to a
 * main.js: this bundles every `*.worker.ts` (plus any `extra` entries) exactly as
 * tools/build/build-app.mjs does for the apps, into a fresh folder under dist/ (inside the
 * workspace, so the bundles' npm imports resolve from node_modules).
 */
export async function bundleWorkersForTest(extra: Record<string, string> = {}): Promise<TestWorkers> {
  // A computed specifier: the build script is plain JavaScript without type declarations.
  const buildScript = path.join(root, 'tools/build/build-app.mjs');
  const { bundle, bundleWorkers } = (await import(buildScript)) as {
    bundle(entry: string, outfile: string): Promise<string>;
    bundleWorkers(outdir: string): Promise<string[]>;
  };
  mkdirSync(path.join(root, 'dist/test-workers'), { recursive: true });
  const outdir = mkdtempSync(path.join(root, 'dist/test-workers/run-'));
  await bundleWorkers(outdir);
  for (const [name, entry] of Object.entries(extra)) await bundle(entry, path.join(outdir, 'workers', `${name}.js`));
  const dir = path.join(outdir, 'workers');
  return { dir, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}
