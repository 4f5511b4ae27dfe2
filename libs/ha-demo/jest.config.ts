import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'ha-demo-home',
  rootDir: '.',
};
