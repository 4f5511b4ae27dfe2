// Entry point of the bundled API-key CLI: `npm run keys -- <command>` bundles and imports it
// (scripts/keys.mjs).
import { keysCli } from './keys.cli';

try {
  process.exitCode = await keysCli(process.argv.slice(2));
} catch (error) {
  console.error(`keys failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
