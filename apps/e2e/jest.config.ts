import preset from '../../jest.preset.js';

/** End-to-end tests: real processes (built from dist/apps) on loopback ports, real clients. */
export default {
  ...preset,
  displayName: 'e2e',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/support/e2e.setup.ts'],
};
