#!/usr/bin/env node
// Runs Jest in native-ESM mode (NestJS 12 and our code are ESM): Jest needs Node's VM-modules flag.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = path.join(path.dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const { status, signal } = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jestBin, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(status ?? (signal ? 1 : 0));
