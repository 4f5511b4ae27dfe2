/**
 * Distributed chain cost: the same questions asked of a monolith gateway and of the distributed
 * stack (gateway + 7 agent services), both on the built bundles in dist/apps and on one demo home,
 * interleaved so machine noise hits both alike. Prints p50 per question and the difference.
 * Budget (DESIGN.md): the distributed chain adds < +10 ms p50 over monolith.
 *
 *   node tools/build/build-app.mjs gateway ha-demo orchestrator architect ds-orchestrator ds-analysts developer librarian dashboard-designer
 *   node tools/bench/run.mjs a2a-chain [rounds]      (DATABASE_URL set: PostgreSQL schemas; else PGlite)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresTestSchema, type PostgresTestSchema } from '@aether/persistence/testing';
import { freePort, startApp, startDistributedStack } from '../start-distributed/stack.mjs';

const rounds = Number(process.argv[2] ?? 20);
const QUESTIONS = ['What lights are on?', 'Analyze my energy usage for the last 48 hours'];
const API_KEY = 'bench-key';
const databaseUrl = process.env['DATABASE_URL']?.trim() || undefined;

const dataDir = mkdtempSync(path.join(tmpdir(), 'aether-chain-bench-'));
const schemas: PostgresTestSchema[] = [];

async function databaseEnv(): Promise<Record<string, string>> {
  if (!databaseUrl) return { DATABASE_URL: '', DATABASE_SCHEMA: '' };
  const schema = await createPostgresTestSchema(databaseUrl);
  schemas.push(schema);
  return { DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema };
}

const base = {
  NODE_ENV: 'test',
  HA_URL: '',
  HA_TOKEN: '',
  LLM_BASE_URL: '',
  LLM_API_KEY: '',
  LLM_MODEL: '',
  AETHER_API_KEYS: API_KEY,
  LOG_LEVEL: 'warn',
  AETHER_DATA_DIR: dataDir,
};

/** One streamed chat completion, read to `[DONE]`; returns its wall time. */
async function ask(gatewayUrl: string, question: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
    body: JSON.stringify({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: question }] }),
  });
  const text = await response.text();
  if (!text.includes('data: [DONE]')) throw new Error(`"${question}" did not complete: ${text.slice(0, 300)}`);
  return performance.now() - started;
}

function p50(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

const stack = await startDistributedStack({ randomPorts: true, timeoutMs: 120_000, env: { ...base, ...(await databaseEnv()) } });
try {
  const monolith = await startApp('gateway', {
    port: await freePort(),
    timeoutMs: 120_000,
    healthPath: '/api/v1/health',
    env: { ...base, ...(await databaseEnv()), DEPLOYMENT_MODE: 'monolith', HA_URL: stack.ha.url, HA_TOKEN: stack.ha.token ?? '' },
  });
  try {
    console.log(`A2A chain benchmark: ${rounds} interleaved questions per cell, Node ${process.version}, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}\n`);
    console.log('question                                       | monolith p50 ms | distributed p50 ms | distributed − monolith p50 ms');
    for (const question of QUESTIONS) {
      for (let i = 0; i < 3; i++) {
        await ask(monolith.url, question);
        await ask(stack.gateway.url, question);
      }
      const local: number[] = [];
      const remote: number[] = [];
      for (let i = 0; i < rounds; i++) {
        local.push(await ask(monolith.url, question));
        remote.push(await ask(stack.gateway.url, question));
      }
      console.log(
        [question.padEnd(46), p50(local).toFixed(1).padStart(15), p50(remote).toFixed(1).padStart(18), (p50(remote) - p50(local)).toFixed(1).padStart(29)].join(' | '),
      );
    }
  } finally {
    await monolith.stop();
  }
} finally {
  await stack.stop();
  await Promise.all(schemas.map((schema) => schema.drop()));
  rmSync(dataDir, { recursive: true, force: true });
}
