import { availableParallelism } from 'node:os';
import preset from '../../jest.preset.js';

/**
 * End-to-end tests: real processes (built from dist/apps) on loopback ports, real clients.
 * Each file starts several services, so files run one at a time on a small machine (a quarter of
 * the cores: 1 on the 2-core CI machine), leaving room for the services and the other projects.
 */
export default {
  ...preset,
  displayName: 'e2e',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/support/e2e.setup.ts'],
  maxWorkers: Math.max(1, Math.floor(availableParallelism() / 4)),
};
