#!/usr/bin/env node
// `npm test`: builds every app bundle (the end-to-end tests start the real processes from
// dist/apps), then runs the whole Jest suite (unit, integration, end-to-end) in native-ESM mode.
// Extra arguments go to Jest, e.g. `npm test -- libs/a2a`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apps = readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'e2e')
  .map((d) => d.name);

execFileSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), ...apps], { stdio: 'inherit', cwd: root });

const { status } = spawnSync(process.execPath, [path.join(root, 'tools/test/jest.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(status ?? 1);
