// `npm run keys -- create|list|revoke`: the gateway's named API keys in the database the environment
// names (DATABASE_URL + DATABASE_SCHEMA, else the PGlite directory of `--service` under
// AETHER_DATA_DIR). Run through keys.main.ts.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aether/config';
import { ApiKeyNameError, type ApiKeyRecord } from '../lib/api-keys/api-key.store';
import { TypeOrmApiKeyStore } from '../lib/api-keys/typeorm-api-key.store';
import { openDataSource } from '../lib/database/aether-data-source';
import { databaseTargetFor, describeDatabaseTarget } from '../lib/database/database-target';
import { prepareSchema } from '../lib/database/migration-runner';

const USAGE = `usage: keys <command> [options]
  create <name> [--requests-per-minute N] [--max-concurrent N]
          create a key and print it ONCE (only its sha256 is stored); the limits default to the
          gateway's (AETHER_RATE_LIMIT_PER_MINUTE, AETHER_MAX_CONCURRENT_REQUESTS), 0 = none
  list    every key: name, created, last used, revoked, limits (never the keys)
  revoke <name>
          refuse the key from now on (the gateway notices within AETHER_API_KEY_CACHE_MS, no restart)
  --service  whose PGlite directory to use when DATABASE_URL is unset (default: gateway). PGlite is
             single-process: stop the gateway first, or use PostgreSQL (DATABASE_URL).`;

export interface KeysCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: KeysCliIo = { out: (line) => console.log(line), err: (line) => console.error(line), env: process.env };

/** Runs one command; returns the exit code (0 ok, 1 refused, 2 usage). */
export async function keysCli(argv: string[], io: KeysCliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        service: { type: 'string', default: 'gateway' },
        'requests-per-minute': { type: 'string' },
        'max-concurrent': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, name, ...extra] = positionals;
  const arity: Record<string, number> = { create: 1, list: 0, revoke: 1 };
  if (values.help || command === undefined || !(command in arity) || (name !== undefined ? 1 : 0) !== arity[command] || extra.length > 0) {
    io.err(USAGE);
    return values.help ? 0 : 2;
  }
  const limits = { requestsPerMinute: limitOption(values['requests-per-minute']), maxConcurrent: limitOption(values['max-concurrent']) };
  if (Number.isNaN(limits.requestsPerMinute) || Number.isNaN(limits.maxConcurrent)) {
    io.err(`--requests-per-minute and --max-concurrent take a whole number >= 0\n${USAGE}`);
    return 2;
  }

  const config = loadConfig(io.env);
  const target = databaseTargetFor(config, values.service ?? 'gateway');
  io.err(`database: ${describeDatabaseTarget(target)}`);
  const dataSource = await openDataSource(target, 'aether-keys');
  try {
    await prepareSchema(dataSource, config.nodeEnv === 'production' ? 'require-current' : 'run');
    const store = new TypeOrmApiKeyStore(dataSource);
    if (command === 'create') {
      try {
        const { record, key } = await store.create({ name: name as string, ...limits });
        io.err(`created key '${record.name}'. Store it now: it is not kept and cannot be shown again.`);
        io.out(key);
        return 0;
      } catch (error) {
        if (!(error instanceof ApiKeyNameError)) throw error;
        io.err(error.message);
        return 1;
      }
    }
    if (command === 'revoke') {
      if (await store.revoke(name as string)) {
        io.out(`revoked '${name}'`);
        return 0;
      }
      io.err(`no active key named '${name}'`);
      return 1;
    }
    const keys = await store.list();
    io.out(['name', 'created', 'last used', 'revoked', 'requests/min', 'concurrent'].join('\t'));
    for (const key of keys) io.out(listLine(key));
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

function limitOption(value: string | undefined): number | null {
  if (value === undefined) return null;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

function listLine(key: ApiKeyRecord): string {
  const at = (date: Date | null) => (date ? date.toISOString() : '-');
  const limit = (value: number | null) => (value === null ? 'default' : String(value));
  return [key.name, at(key.createdAt), at(key.lastUsedAt), at(key.revokedAt), limit(key.requestsPerMinute), limit(key.maxConcurrent)].join('\t');
}
