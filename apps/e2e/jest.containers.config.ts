import preset from '../../jest.preset.js';

/**
 * Container end-to-end tests (`npm run test:containers`): the compose stacks from the images
 * `make build-services` built. Not part of `npm test`: they need a container engine and the images
 * (tools/test/containers.mjs provides both). One stack at a time on a 2-core machine.
 */
export default {
  ...preset,
  displayName: 'containers',
  rootDir: '.',
  testMatch: ['<rootDir>/src/containers/**/*.containers.ts'],
  setupFilesAfterEnv: ['<rootDir>/src/support/e2e.setup.ts'],
  maxWorkers: 1,
};
