#!/usr/bin/env node
// Bundles one Nest app (apps/<name>/src/main.ts) with its workspace libraries into dist/apps/<name>/main.js.
// esbuild resolves the tsconfig path aliases and bundles fast, but it cannot emit the
// `design:paramtypes` metadata Nest's constructor injection relies on, so TypeScript files are
// transpiled by swc (which can) inside an esbuild onLoad plugin. npm packages stay external.
import { build } from 'esbuild';
import { transform } from '@swc/core';
import { globSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { swcTypeScriptOptions } from './swc-options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// esbuild keeps every module a barrel (`export * from …`) reaches unless it knows the module has no
// side effects, and with it the top-level imports of its npm packages: importing one light class
// from `@aether/llm` would load LangChain. npm packages declare this in package.json
// (`sideEffects`); our libraries have none, so this says it for them. They qualify: their modules
// only declare (classes, functions, constants), and nothing imports a file of ours for its effects.
const workspaceLibsHaveNoSideEffects = {
  name: 'workspace-libs-side-effect-free',
  setup(b) {
    const libs = path.join(root, 'libs') + path.sep;
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.resolvingLib) return undefined;
      if (!args.path.startsWith('@aether/') && !(args.path.startsWith('.') && args.importer.startsWith(libs))) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolvingLib: true },
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(libs)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

const swcDecorators = {
  name: 'swc-decorator-metadata',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await transform(source, { ...swcTypeScriptOptions, filename: args.path, sourceMaps: 'inline' });
      return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** Every deployable app under apps/ (all but the e2e tests). */
export function appNames() {
  return readdirSync(path.join(root, 'apps'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'e2e')
    .map((d) => d.name);
}

/**
 * Bundles an app into `<outdir>/main.js`, with code split into `<outdir>/chunks/`: every dynamic
 * `import()` (each agent's module, the demo home, the LLM client) becomes a chunk that the process
 * loads only when it takes that path, so a process carries only what it serves.
 */
export async function buildApp(name, { outdir = path.join(root, 'dist/apps', name) } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await bundle(path.join(root, 'apps', name, 'src/main.ts'), path.join(outdir, 'app.js'), { splitting: true, more: { tracing: TRACING_ENTRY } });
  await bundleWorkers(outdir);
  const main = path.join(outdir, 'main.js');
  const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  await writeFile(main, mainJs({ service: name, version }));
  return main;
}

/** Starts OpenTelemetry when configured; bundled beside every app as `tracing.js`. */
const TRACING_ENTRY = path.join(root, 'libs/observability/src/lib/tracing/start-tracing.ts');

/**
 * Every app's entry point, `main.js`: turns on source maps for Aether's own bundle, starts tracing
 * (when an exporter is configured), then loads the app. Node's `--enable-source-maps` would also
 * read and keep the maps of every npm package a process loads (~25 MB of heap per process, and
 * their reading at start); `setSourceMapsSupport(true)` leaves node_modules out. Both must run
 * before the app's modules are loaded (tracing's instrumentations wrap http, express and pg as
 * they load), so the app is imported after them, dynamically (static imports would be evaluated first).
 */
function mainJs({ service, version }) {
  return `import { setSourceMapsSupport } from 'node:module';
setSourceMapsSupport(true);
const { startTracing } = await import('./tracing.js');
await startTracing(${JSON.stringify({ service, version })});
await import('./app.js');
`;
}

/**
 * Worker-thread entry points (every `*.worker.ts` in a library's src/, run by the analysis pool) bundled
 * next to every app's main.js as `workers/<basename>.js`: the pool finds them relative to the
 * running bundle, and any app may host the agents that use them (the monolith gateway hosts all).
 */
export async function bundleWorkers(outdir) {
  const entries = globSync('libs/**/src/**/*.worker.ts', { cwd: root });
  await Promise.all(
    entries.map((entry) => bundle(path.join(root, entry), path.join(outdir, 'workers', `${path.basename(entry, '.worker.ts')}.js`))),
  );
  return entries;
}

/** Bundles any TypeScript entry point of the workspace (apps, benchmarks) into one ESM file (plus chunks when splitting). */
export async function bundle(entry, outfile, { splitting = false, more = {} } = {}) {
  await build({
    // `more`: further entry points (name → file) bundled beside `outfile`, sharing its chunks.
    entryPoints: { [path.basename(outfile, '.js')]: entry, ...more },
    outdir: path.dirname(outfile),
    splitting,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    plugins: [workspaceLibsHaveNoSideEffects, swcDecorators],
    logLevel: 'warning',
    // Bundled ESM still needs require() for a few CJS-only call sites inside our own code paths.
    banner: { js: "import { createRequire as __aetherCreateRequire } from 'node:module'; const require = __aetherCreateRequire(import.meta.url);" },
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0) {
    console.error('usage: build-app.mjs <app> [<app>…]');
    process.exit(2);
  }
  for (const name of names) console.log(`built ${path.relative(root, await buildApp(name))}`);
}
