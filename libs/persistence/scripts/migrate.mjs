#!/usr/bin/env node
// Runs the migration CLI (src/cli/migrate.cli.ts). The code is ESM TypeScript with decorators, so
// it is bundled the way the apps are (esbuild + swc, tools/build/build-app.mjs) and then run.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from '../../../tools/build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = path.join(root, 'libs/persistence/src/cli/migrate.cli.ts');
const outfile = path.join(root, 'dist/tools/persistence-migrate/main.js');

await bundle(entry, outfile);
const { migrateCli } = await import(pathToFileURL(outfile).href);
try {
  process.exitCode = await migrateCli(process.argv.slice(2));
} catch (error) {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
