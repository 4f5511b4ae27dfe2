import { globSync } from 'node:fs';

/** Every project's jest.config.ts, so `jest` at the root runs the whole suite in one process pool. */
export default {
  projects: globSync('{apps,libs}/**/jest.config.ts', { exclude: (p: string) => p.includes('node_modules') }),
};
