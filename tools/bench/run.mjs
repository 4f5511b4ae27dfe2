#!/usr/bin/env node
// Bundles a benchmark (tools/bench/<name>.bench.ts) with the app bundler and runs it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [name = 'a2a-hop', ...args] = process.argv.slice(2);
const outfile = await bundle(path.join(root, 'tools/bench', `${name}.bench.ts`), path.join(root, 'dist/bench', `${name}.mjs`));
const { status } = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit', cwd: root });
process.exit(status ?? 1);
