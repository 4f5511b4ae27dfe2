#!/usr/bin/env node
// `npm run check:ha`: checks that a Home Assistant answers every call Aether makes as Aether expects
// (read-only: nothing in HA is changed). HA_URL + HA_TOKEN: your installation; neither: the bundled
// demo home. Bundles apps/ha-demo/src/check-ha.main.ts with the app bundler and runs it; the exit
// code is the check's (0 compatible, 1 incompatible, 2 settings).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = await bundle(path.join(root, 'apps/ha-demo/src/check-ha.main.ts'), path.join(root, 'dist/tools/check-ha', 'check-ha.mjs'));
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile], { stdio: 'inherit', env: process.env });
process.exit(run.status ?? 1);
