import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '@aether/config';
import { createPostgresTestSchema, testDatabaseKinds, withPostgresClient, type PostgresTestSchema } from '../testing';
import { openDataSource } from '../lib/database/aether-data-source';
import { databaseTargetFor } from '../lib/database/database-target';
import { lockDataDir } from '../lib/database/pglite-data-dir-lock';
import { keysCli } from './keys.cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Run {
  code: number;
  out: string[];
  err: string[];
}

describe.each(testDatabaseKinds())('the keys CLI on %s', (kind) => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string | undefined;
  let schema: PostgresTestSchema | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      schema = await createPostgresTestSchema();
      env = { NODE_ENV: 'test', DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema };
    } else {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'aether-keys-cli-'));
      env = { NODE_ENV: 'test', AETHER_DATA_DIR: dataDir };
    }
  }, 60_000);
  afterAll(async () => {
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function run(...argv: string[]): Promise<Run> {
    const result: Run = { code: -1, out: [], err: [] };
    result.code = await keysCli(argv, { out: (line) => result.out.push(line), err: (line) => result.err.push(line), env });
    return result;
  }

  /** Every api_keys row, every column as text: what someone reading the database would see. */
  async function tableText(): Promise<Array<Record<string, string | null>>> {
    const sql = `SELECT name, key_hash, id::text, created_at::text, revoked_at::text, last_used_at::text,
                        requests_per_minute::text, max_concurrent::text FROM api_keys ORDER BY name`;
    if (kind === 'postgres') {
      return withPostgresClient(schema!.databaseUrl, async (client) => {
        await client.query(`SET search_path TO "${schema!.schema}"`);
        return (await client.query(sql)).rows;
      });
    }
    const dataSource = await openDataSource(databaseTargetFor(loadConfig(env), 'gateway'));
    try {
      return await dataSource.query(sql);
    } finally {
      await dataSource.destroy();
    }
  }

  it('creates a key and prints it once, stores only its sha256, lists and revokes it', async () => {
    const created = await run('create', 'open-webui', '--requests-per-minute', '30');
    expect(created.code).toBe(0);
    expect(created.out).toHaveLength(1);
    const key = created.out[0];
    expect(key).toMatch(/^aek_[A-Za-z0-9_-]{43}$/);
    expect(created.err.join('\n')).toMatch(/cannot be shown again/);
    const other = await run('create', 'scripts');
    expect(other.code).toBe(0);

    // Hashed at rest: no column of any row holds the key or a part of it.
    const rows = await tableText();
    expect(rows.map((row) => row.name)).toEqual(['open-webui', 'scripts']);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(4, 20));
    expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(rows[0].requests_per_minute).toBe('30');

    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toHaveLength(3); // header + two keys
    expect(listed.out[1]).toMatch(/^open-webui\t\S+\t-\t-\t30\tdefault$/);
    expect(listed.out.join('\n')).not.toContain(key);

    expect((await run('revoke', 'open-webui')).code).toBe(0);
    expect((await run('list')).out[1]).toMatch(/^open-webui\t\S+\t-\t\d{4}-\d\d-\d\dT\S+\t30\tdefault$/);
    expect((await tableText())[0].revoked_at).not.toBeNull();
    // Revoking again, or a key that never existed, is refused.
    expect((await run('revoke', 'open-webui')).code).toBe(1);
    expect((await run('revoke', 'nobody')).code).toBe(1);
  }, 120_000);

  it.each([
    [['create', 'scripts'], 1, /already exists/],
    [['create', 'Not A Name'], 1, /invalid key name/],
    [['create', 'key-12345678'], 1, /invalid key name/],
    [['create', 'x', '--max-concurrent', 'many'], 2, /whole number/],
    [['create'], 2, /usage: keys/],
    [['list', 'extra'], 2, /usage: keys/],
    [['rotate', 'x'], 2, /usage: keys/],
    [['create', 'x', '--bogus'], 2, /usage: keys/],
  ])('refuses %j with exit code %i', async (argv, code, message) => {
    const result = await run(...(argv as string[]));
    expect(result.code).toBe(code);
    expect(result.err.join('\n')).toMatch(message);
    expect(result.out).toEqual([]);
  }, 60_000);
});

describe('npm run keys', () => {
  it('runs the bundled CLI (list on an empty embedded database)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aether-keys-npm-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'libs/persistence/scripts/keys.mjs'), 'list'], {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', AETHER_DATA_DIR: dataDir },
      });
      expect(stdout.trim()).toBe(['name', 'created', 'last used', 'revoked', 'requests/min', 'concurrent'].join('\t'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses an embedded database another process has open (a running monolith), saying what to do, and writes nothing', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aether-keys-busy-'));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', AETHER_DATA_DIR: dataDir };
    const target = databaseTargetFor(loadConfig(env), 'gateway');
    if (target.kind !== 'pglite' || !target.dataDir) throw new Error('expected an embedded database on a directory');
    const gatewayDir = target.dataDir;
    const cli = (...argv: string[]) =>
      promisify(execFile)(process.execPath, [path.join(root, 'libs/persistence/scripts/keys.mjs'), ...argv], { cwd: root, env });
    try {
      await cli('list');
      const release = await lockDataDir(gatewayDir);
      const refused = await cli('create', 'open-webui').then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      await release();
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused?.stderr).toContain(`The embedded database at ${gatewayDir} is in use by another process`);
      expect(refused?.stderr).toContain('DATABASE_URL');
      expect((await cli('list')).stdout).not.toContain('open-webui');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
