import { globSync } from 'node:fs';

/**
 * Every project's jest.config.ts, for one Jest over the whole workspace (`node tools/test/jest.mjs`,
 * editors). `npm test` runs each project's own config through Nx instead (cached per project).
 */
export default {
  projects: globSync('{apps,libs}/**/jest.config.ts', { exclude: (p: string) => p.includes('node_modules') }),
};
