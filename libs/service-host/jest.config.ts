import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'service-host',
  rootDir: '.',
  // No spec files of its own yet (the e2e suite starts every app built on it); its Nx test target
  // must not fail for that.
  passWithNoTests: true,
};
