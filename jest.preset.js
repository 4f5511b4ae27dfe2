// Shared Jest settings: native ESM (the code and NestJS 12 are ESM) with swc compiling
// TypeScript, including the decorator metadata Nest's dependency injection needs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { swcTypeScriptOptions } from './tools/build/swc-options.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/\-]/g, (c) => `\\${c}`)}$`] = path.join(root, target);
}

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper,
  setupFiles: [path.join(root, 'tools/test/jest.setup.js')],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTypeScriptOptions],
  },
};
