// Entry point of the bundled migration CLI: `npm run db:migrate` bundles and imports it
// (scripts/migrate.mjs), container images run it as `node migrate.js run`.
import { migrateCli } from './migrate.cli';

try {
  process.exitCode = await migrateCli(process.argv.slice(2));
} catch (error) {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
