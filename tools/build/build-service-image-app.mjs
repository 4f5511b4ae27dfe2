#!/usr/bin/env node
// What one service image runs (docker/Containerfile.service): the app bundle as main.js and the
// migration CLI as migrate.js, side by side in one directory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, bundle } from './build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [service, outdir] = process.argv.slice(2);
if (!service || !outdir) {
  console.error('usage: build-service-image-app.mjs <app> <outdir>');
  process.exit(2);
}
await buildApp(service, { outdir });
await bundle(path.join(root, 'libs/persistence/src/cli/migrate.main.ts'), path.join(outdir, 'migrate.js'));
console.log(`built ${service} and the migration CLI into ${outdir}`);
