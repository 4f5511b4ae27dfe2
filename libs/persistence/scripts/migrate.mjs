#!/usr/bin/env node
// Runs the migration CLI (src/cli/migrate.main.ts). The code is ESM TypeScript with decorators, so
// it is bundled the way the apps are (esbuild + swc, tools/build/build-app.mjs) and then run.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from '../../../tools/build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outfile = await bundle(path.join(root, 'libs/persistence/src/cli/migrate.main.ts'), path.join(root, 'dist/tools/persistence-migrate/main.js'));
await import(pathToFileURL(outfile).href);
