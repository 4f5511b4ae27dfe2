import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'home-assistant',
  rootDir: '.',
};
