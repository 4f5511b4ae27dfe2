import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: 'a2a',
  rootDir: '.',
};
