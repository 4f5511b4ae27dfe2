#!/usr/bin/env node
// `npm test`: builds every app bundle (the end-to-end tests start the real processes from
// dist/apps), then runs the whole Jest suite (unit, integration, end-to-end) in native-ESM mode.
// Extra arguments go to Jest, e.g. `npm test -- libs/a2a`.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appNames } from '../build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), ...appNames()], { stdio: 'inherit', cwd: root });

const { status } = spawnSync(process.execPath, [path.join(root, 'tools/test/jest.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(status ?? 1);
