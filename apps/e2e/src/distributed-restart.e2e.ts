import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type OpenAI from 'openai';
import { withPostgresClient } from '@aether/persistence/testing';
import { AGENTS, startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { a2aUserMessage } from './support/a2a-message';
import { API_KEY, embeddedDefaultsEnv, openaiClient } from './support/gateway-client';

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };

/** Generous: a first start creates the database (initdb) while 8 services start on a busy 2-core machine. */
const START_TIMEOUT_MS = 120_000;

/**
 * `npm run start:distributed` without DATABASE_URL: one embedded database server for the whole
 * process stack, whose data survives a restart of every process (services, gateway, database).
 */
describe('process stack without DATABASE_URL: one database server, data kept across a restart of every process', () => {
  let stack: DistributedStack | undefined;
  let dataDir: string;
  let auth: { serviceParameters: Record<string, string> };
  let conversationId: string;
  let conversationBefore: unknown;
  let task: Task;
  let catalogBefore: CatalogSnapshot;
  const pidsBefore: number[] = [];

  beforeAll(async () => {
    // Embedded defaults with DATABASE_URL blank, whatever the shell or CI sets.
    const env = embeddedDefaultsEnv();
    dataDir = env.AETHER_DATA_DIR;
    stack = await startDistributedStack({ randomPorts: true, env, timeoutMs: START_TIMEOUT_MS, log: () => undefined });
    auth = { serviceParameters: { Authorization: `Bearer ${stack.serviceToken}` } };
  }, 2 * START_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs one database server that every service reaches over PostgreSQL, and no database per service', async () => {
    const s = stack as DistributedStack;
    expect(s.database.kind).toBe('embedded');
    if (s.database.kind !== 'embedded') return;
    expect(s.database.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(s.env.DATABASE_URL).toBe(s.database.url);
    expect(s.database.dataDir).toBe(path.join(dataDir, 'database', 'pglite'));
    expect(existsSync(path.join(s.database.dataDir, 'PG_VERSION'))).toBe(true);
    // Nothing else under the data directory holds a database: no <service>/pglite.
    expect(readdirSync(dataDir).filter((entry) => !entry.startsWith('pglite-template-'))).toEqual(['database']);
    for (const service of ['gateway', ...Object.keys(AGENTS)]) expect(existsSync(path.join(dataDir, service))).toBe(false);
    // It answers as PostgreSQL does.
    const connected = await withPostgresClient(s.database.url, async (client) => (await client.query('SELECT 1 AS one')).rows[0].one);
    expect(connected).toBe(1);
    pidsBefore.push(s.database.server.child.pid as number, s.gateway.child.pid as number, ...Object.values(s.agents).map((a) => a.child.pid as number));
  });

  it('stores a conversation, a catalog and an A2A task', async () => {
    const s = stack as DistributedStack;
    const completion = (await openaiClient(s.gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'Discover my home' }],
      ...({ agent: 'librarian' } as object),
    })) as unknown as AetherCompletion;
    conversationId = completion.conversation_id;
    expect(conversationId).toEqual(expect.any(String));
    conversationBefore = await storedConversation(s.gateway.url, conversationId);
    expect(conversationBefore).toMatchObject({ message_count: 2 });

    const client = await new ClientFactory().createFromUrl(s.agents.librarian.url);
    task = (await client.sendMessage(a2aUserMessage('Discover my home'), auth)) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    catalogBefore = await catalog(s.database.url);
    expect(catalogBefore.entities.length).toBeGreaterThan(10);
    expect(catalogBefore.fullSessions).toBeGreaterThanOrEqual(2);
  }, START_TIMEOUT_MS);

  it('answers with the same conversation, catalog and task after every process restarted', async () => {
    const s = stack as DistributedStack;
    await s.restart();
    const pidsAfter = [s.database.server?.child.pid, s.gateway.child.pid, ...Object.values(s.agents).map((a) => a.child.pid)];
    for (const pid of pidsAfter) expect(pidsBefore).not.toContain(pid);

    expect(await storedConversation(s.gateway.url, conversationId)).toEqual(conversationBefore);
    expect(await catalog(s.database.url)).toEqual(catalogBefore);
    const client = await new ClientFactory().createFromUrl(s.agents.librarian.url);
    const loaded = await client.getTask({ tenant: '', id: task.id, historyLength: undefined }, auth);
    expect(loaded.id).toBe(task.id);
    expect(loaded.contextId).toBe(task.contextId);
    expect(loaded.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(loaded.artifacts).toEqual(task.artifacts);
  }, 2 * START_TIMEOUT_MS);
});

interface CatalogSnapshot {
  entities: Array<{ entity_id: string; content_hash: string }>;
  /**
   * Full discoveries only: the demo home lives on (its sensors move with the clock), so delta sync
   * may rightly record a change at any time; a restart that kept the catalog runs no new full one.
   */
  fullSessions: number;
}

async function storedConversation(gatewayUrl: string, id: string): Promise<unknown> {
  const response = await fetch(`${gatewayUrl}/api/v1/conversations/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** The Librarian's catalog as it is stored, read over the same wire protocol the services use. */
function catalog(url: string): Promise<CatalogSnapshot> {
  return withPostgresClient(url, async (client) => ({
    entities: (await client.query('SELECT entity_id, content_hash FROM ha_entities ORDER BY entity_id')).rows,
    fullSessions: (await client.query("SELECT count(*)::int AS n FROM discovery_sessions WHERE kind = 'full'")).rows[0].n,
  }));
}

