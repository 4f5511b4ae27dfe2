// `nx run persistence:migrate` / `npm run db:migrate`: applies, lists or reverts migrations on the
// database the environment names (DATABASE_URL + DATABASE_SCHEMA, else the PGlite directory of
// `--service` under AETHER_DATA_DIR). Run through migrate.main.ts.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aether/config';
import { openDataSource } from '../lib/database/aether-data-source';
import { databaseTargetFor, describeDatabaseTarget } from '../lib/database/database-target';
import { pendingMigrations, runPendingMigrations } from '../lib/database/migration-runner';

const USAGE = `usage: migrate [run|show|revert] [--service <name>]
  run     apply pending migrations (default)
  show    list applied and pending migrations; exit code 1 when some are pending
  revert  undo the most recent migration
  --service  whose PGlite directory to use when DATABASE_URL is unset (default: gateway, which
             holds every agent's data in monolith mode). Stop that service first: PGlite is single-process.`;

export async function migrateCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { service: { type: 'string', default: 'gateway' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0] ?? 'run';
  if (values.help || !['run', 'show', 'revert'].includes(command) || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const target = databaseTargetFor(loadConfig(), values.service ?? 'gateway');
  console.log(`database: ${describeDatabaseTarget(target)}`);
  const dataSource = await openDataSource(target, 'aether-migrate');
  try {
    if (command === 'run') {
      const applied = await runPendingMigrations(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the schema is current');
      return 0;
    }
    if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the most recent migration');
      return 0;
    }
    const pending = new Set(await pendingMigrations(dataSource));
    const timestamp = (name: string) => Number(/(\d{13})$/.exec(name)?.[1] ?? 0);
    const names = dataSource.migrations.map((migration) => String(migration.name));
    for (const name of names.sort((a, b) => timestamp(a) - timestamp(b))) {
      console.log(`${pending.has(name) ? '[ ]' : '[X]'} ${name}`);
    }
    console.log(pending.size ? `${pending.size} pending` : 'the schema is current');
    return pending.size ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}
