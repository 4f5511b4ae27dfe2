#!/usr/bin/env node
// `nx serve <app>` (and `npm start`): bundles the app with build-app.mjs's buildApp, runs
// dist/apps/<app>/main.js, and on every change under apps/<app>/ or libs/ (or to tsconfig.base.json)
// rebundles and restarts it. A failed rebuild keeps the running process and prints why; a process
// that exits on its own is restarted by the next change. Test files do not trigger a rebuild.
// Changes to the bundler itself (tools/build) need a restart of serve.
import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build-app.mjs';
import { nodeFlagsFor, SERVICE_ENV } from './node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const name = process.argv[2];
if (!name || !existsSync(path.join(root, 'apps', name, 'src/main.ts'))) {
  console.error('usage: serve-app.mjs <app>   (an app under apps/ with src/main.ts)');
  process.exit(2);
}
const main = path.join(root, 'dist/apps', name, 'main.js');
const log = (message) => console.log(`[serve ${name}] ${message}`);

/** Files whose change cannot alter the bundle: tests, docs, editor scratch files. */
const ignored = /\.(spec|e2e|containers)\.ts$|\.md$|~$|\.sw[a-p]$|(^|\/)\.#|(^|\/)4913$/;

let child = null;
let stopping = false;
let building = false;
let pending = false;
let timer = null;

async function rebuild(reason) {
  if (building) {
    pending = true;
    return;
  }
  building = true;
  const started = Date.now();
  if (reason) log(`${reason} changed: rebuilding`);
  let ok = true;
  try {
    await buildApp(name);
  } catch (error) {
    ok = false;
    log(`build failed, ${child ? 'the running process stays up' : 'waiting for a fix'}: ${error.message ?? error}`);
  }
  building = false;
  if (stopping) return;
  if (pending) {
    pending = false;
    return rebuild('more');
  }
  if (ok) {
    log(`built in ${Date.now() - started} ms`);
    await restart();
  }
}

async function restart() {
  await stopChild();
  if (stopping) return;
  const current = spawn(process.execPath, [...nodeFlagsFor(name, process.env), main], { stdio: 'inherit', cwd: root, env: { ...SERVICE_ENV, ...process.env } });
  child = current;
  current.on('exit', (code, signal) => {
    if (child === current) {
      child = null;
      if (!stopping) log(`exited (${signal ?? `code ${code}`}); the next change restarts it`);
    }
  });
}

function stopChild() {
  const current = child;
  if (!current) return Promise.resolve();
  child = null;
  return new Promise((resolve) => {
    // The service drains in-flight requests for AETHER_SHUTDOWN_DRAIN_MS (10 s) before it exits 0.
    const kill = setTimeout(() => current.kill('SIGKILL'), Number(process.env.AETHER_SHUTDOWN_DRAIN_MS || 10_000) + 5_000);
    current.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    current.kill('SIGTERM');
  });
}

function onChange(base) {
  return (_event, file) => {
    const changed = file ? path.join(base, file.toString()) : base;
    if (ignored.test(changed) || changed.includes(`${path.sep}node_modules${path.sep}`)) return;
    clearTimeout(timer);
    timer = setTimeout(() => rebuild(path.relative(root, changed)), 150);
  };
}

const watchers = [
  watch(path.join(root, 'apps', name), { recursive: true }, onChange(path.join(root, 'apps', name))),
  watch(path.join(root, 'libs'), { recursive: true }, onChange(path.join(root, 'libs'))),
  // The directory, not the file: editors replace a file on save, which ends a watch on it.
  watch(root, (event, file) => file?.toString() === 'tsconfig.base.json' && onChange(root)(event, file)),
];

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    stopping = true;
    clearTimeout(timer);
    for (const w of watchers) w.close();
    await stopChild();
    process.exit(0);
  });
}

await rebuild();
log('watching apps/' + name + ' and libs/ for changes');
