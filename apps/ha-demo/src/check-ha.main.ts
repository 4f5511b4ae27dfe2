import { checkHa } from './check-ha';

// Entry point of `npm run check:ha` (bundled and run by tools/check-ha/check-ha.mjs).
process.exitCode = await checkHa(process.env, (text) => console.log(text));
