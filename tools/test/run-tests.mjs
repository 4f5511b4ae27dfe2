#!/usr/bin/env node
// `npm test`: every project's `test` target through Nx (`nx run-many -t test`). Nx caches each
// project's result (inputs in nx.json: its files, its dependencies' production files, the Jest
// setup), so an unchanged project's tests are replayed from the cache, and the e2e project's
// `test` first builds (cached too) the app bundles it starts from dist/apps.
//
//   npm test                                    all projects
//   npm test -- libs/a2a apps/e2e               the projects under these paths
//   npm test -- libs/a2a/src/lib/x.spec.ts      one file (given to that project's Jest)
//   npm test -- -t 'streams tokens'             Jest options go to every selected project's Jest
//
// One project by hand: `npx nx test a2a` (or `node tools/test/jest.mjs -c libs/a2a/jest.config.ts`).
// NX_SKIP_NX_CACHE=true runs everything (CI does). AETHER_TEST_PARALLEL sets how many projects run
// at once (default: half the cores, at least 2: a Jest process per project, and the e2e files
// each start several Node processes).
// Prints `N passed, N failed` (tests, summed over the projects' Jest summaries) at the end; the
// exit code is Nx's: non-zero when any project failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Projects with a Jest config: name (project.json) and root. */
const projects = globSync('{apps,libs}/**/jest.config.ts', { cwd: root, exclude: (p) => p.includes('node_modules') }).map((config) => {
  const dir = path.dirname(config);
  return { name: JSON.parse(readFileSync(path.join(root, dir, 'project.json'), 'utf8')).name, root: dir };
});

// Arguments that name existing files or directories select projects; the rest go to Jest.
const selected = new Set();
const jestArgs = [];
let previousTakesValue = false;
for (const arg of process.argv.slice(2)) {
  const isValue = previousTakesValue;
  previousTakesValue = /^(-t|-c|--testNamePattern|--config|--reporters|--outputFile|--shard|--maxWorkers|-w|--testTimeout|--seed)$/.test(arg);
  const isPath = !arg.startsWith('-') && !isValue && existsSync(path.resolve(root, arg));
  if (!isPath && !isValue && /^(apps|libs)\//.test(arg)) {
    console.error(`npm test: no such file or directory: ${arg}`);
    process.exit(2);
  }
  if (!isPath) {
    jestArgs.push(arg);
    continue;
  }
  const target = path.relative(root, path.resolve(root, arg)) || '.';
  const owners = projects.filter((p) => inside(target, p.root) || inside(p.root, target));
  if (owners.length === 0) {
    console.error(`npm test: ${arg} is in no project with tests (${projects.map((p) => p.root).join(', ')})`);
    process.exit(2);
  }
  for (const p of owners) selected.add(p.name);
  // A path that selects whole projects needs no Jest filter (and keeps the cache key of a full run);
  // a path inside a project narrows that project's Jest run to it.
  if (owners.some((p) => !inside(p.root, target))) jestArgs.push(target);
}

const parallel = Number(process.env.AETHER_TEST_PARALLEL ?? Math.max(2, Math.floor(availableParallelism() / 2)));
const names = selected.size > 0 ? [...selected] : projects.map((p) => p.name);

// The e2e project is the longest task (its files run one at a time, each starting several
// services), and Nx would start it last: it schedules the projects with the most dependents first.
// So it runs in a lane of its own, started at once (the app builds, then its Jest), beside a lane
// with the other projects; the two Nx processes share one cache. The other lane runs at a lower CPU
// priority (nice 10): the e2e services must become healthy within 30 s of starting, and a burst of
// them starting takes both cores for a while; the unit tests use whatever the services leave.
const lanes =
  names.includes('e2e') && names.length > 1 && parallel > 1
    ? [
        { projects: ['e2e'], parallel: 2 },
        { projects: names.filter((n) => n !== 'e2e'), parallel: parallel - 1, nice: true },
      ]
    : [{ projects: selected.size > 0 ? names : [], parallel }];

const started = Date.now();
const totals = { passed: 0, failed: 0 };
const statuses = await Promise.all(lanes.map(runNx));
const status = statuses.find((s) => s !== 0) ?? 0;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\nnpm test: ${seconds} s${status === 0 ? '' : `, nx exited with ${status}`}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(status);

/** One `nx run-many -t test`, its output passed through and its Jest summaries counted. */
function runNx({ projects: only, parallel: lane, nice = false }) {
  const nxBin = createRequire(import.meta.url).resolve('nx/bin/nx.js');
  const args = [nxBin, 'run-many', '-t', 'test', `--parallel=${lane}`, '--outputStyle=static'];
  if (only.length > 0) args.push(`--projects=${only.join(',')}`);
  if (jestArgs.length > 0) args.push('--', ...jestArgs);
  const [command, commandArgs] = nice && niceAvailable() ? ['nice', ['-n', '10', process.execPath, ...args]] : [process.execPath, args];
  const nx = spawn(command, commandArgs, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env: { NX_TUI: 'false', ...process.env } });
  // Whole lines only, so two lanes' output never interleaves inside a line. Jest's summary per
  // project (also in output Nx replays from the cache): "Tests:       1 failed, 40 passed, 41 total".
  for (const stream of ['stdout', 'stderr']) {
    let partial = '';
    nx[stream].on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      if (lines.length === 0) return;
      process[stream].write(lines.join('\n') + '\n');
      for (const line of lines) count(line);
    });
    nx[stream].on('end', () => {
      if (partial) process[stream].write(partial + '\n');
      count(partial);
    });
  }
  return new Promise((resolve) => nx.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

function count(line) {
  const match = /^\s*Tests:\s+(.*\btotal)\s*$/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
  if (!match) return;
  for (const [, n, kind] of match[1].matchAll(/(\d+) (passed|failed)/g)) totals[kind] += Number(n);
}

function inside(child, parent) {
  const rel = path.relative(parent, child);
  return parent === '.' || rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function niceAvailable() {
  return process.platform !== 'win32' && spawnSync('nice', ['true']).status === 0;
}
