#!/usr/bin/env node
// What the service images run (docker/Containerfile.service): for each app, its bundle as main.js
// and the migration CLI as migrate.js, in <outdir>/<app>/. All apps by default: the image build
// bundles them once in a stage that every image shares, then each image copies its own directory.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appNames, buildApp, bundle } from './build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [outdir, ...named] = process.argv.slice(2);
if (!outdir) {
  console.error('usage: build-service-image-app.mjs <outdir> [<app>…]   (default: every app but e2e)');
  process.exit(2);
}
const apps = named.length > 0 ? named : appNames();

const migrateCli = await bundle(path.join(root, 'libs/persistence/src/cli/migrate.main.ts'), path.join(outdir, 'migrate.js'));
await Promise.all(
  apps.map(async (app) => {
    const appDir = path.join(outdir, app);
    await buildApp(app, { outdir: appDir });
    await copyFile(migrateCli, path.join(appDir, 'migrate.js'));
    await copyFile(`${migrateCli}.map`, path.join(appDir, 'migrate.js.map'));
  }),
);
console.log(`built ${apps.join(', ')} (+ the migration CLI) into ${outdir}`);
