import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'gateway-api',
  rootDir: '.',
};
