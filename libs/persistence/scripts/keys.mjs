#!/usr/bin/env node
// Runs the API-key CLI (src/cli/keys.main.ts), bundled the way the migration CLI is (see migrate.mjs).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from '../../../tools/build/build-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outfile = await bundle(path.join(root, 'libs/persistence/src/cli/keys.main.ts'), path.join(root, 'dist/tools/persistence-keys/main.js'));
await import(pathToFileURL(outfile).href);
