import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_TABLE } from '@aether/core';
import { startDistributedStack, type DistributedStack, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { collectStream, ENERGY_QUESTION, openaiClient } from './support/gateway-client';
import { stackDatabase, type E2eDatabase } from './support/database';
import { E2E_DATA_DIRS } from './support/gateway-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const recorder = path.join(root, 'tools/test/record-loaded-modules.mjs');

interface Footprint {
  /** Agent libraries whose code the process loaded (from the source maps of the bundle files it loaded). */
  agents: Set<string>;
  /** Workspace libraries whose code it loaded. */
  libs: Set<string>;
  /** npm packages it loaded. */
  packages: Set<string>;
}

/** What one process loaded: its module list, with each bundle file resolved to its sources. */
function footprintOf(service: StartedApp, dir: string): Footprint {
  const urls = readFileSync(path.join(dir, `${service.child.pid}.txt`), 'utf8').split('\n').filter(Boolean);
  const footprint: Footprint = { agents: new Set(), libs: new Set(), packages: new Set() };
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (packageMatch) {
      footprint.packages.add(packageMatch[1]);
      continue;
    }
    if (!file.startsWith(path.join(root, 'dist/apps'))) continue;
    // Each app's main.js only turns source maps on and imports app.js (tools/build/build-app.mjs).
    if (path.basename(file) === 'main.js') continue;
    const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const lib = /libs\/((?:agents\/)?[^/]+)\//.exec(source)?.[1];
      if (!lib) continue;
      footprint.libs.add(lib);
      if (lib.startsWith('agents/')) footprint.agents.add(lib.slice('agents/'.length));
    }
  }
  return footprint;
}

const MODEL_PACKAGES = ['langchain', '@langchain/core', '@langchain/openai', '@langchain/langgraph', 'openai'];
const DATABASE_PACKAGES = ['typeorm', 'pg', '@electric-sql/pglite'];

/**
 * A process loads what it serves: each agent service its own agent (and the platform parts its row
 * of AGENT_TABLE asks for), the distributed gateway no agent at all. Read from the modules each real
 * process loaded while it started and answered a request through every hop.
 */
describe('process footprint (distributed stack, real processes)', () => {
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  const modulesDir = mkdtempSync(path.join(tmpdir(), 'aether-modules-'));
  E2E_DATA_DIRS.push(modulesDir);

  beforeAll(async () => {
    database = await stackDatabase();
    stack = await startDistributedStack({
      randomPorts: true,
      env: { ...database.env, NODE_OPTIONS: `--import=${recorder}`, AETHER_LOADED_MODULES_DIR: modulesDir },
    });
    // One request through every hop, so lazily loaded code paths are taken too.
    const stream = await openaiClient(stack.gateway.url).chat.completions.create({
      model: 'aether-offline',
      stream: true,
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    });
    expect((await collectStream(stream)).finishReason).toBe('stop');
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('the distributed gateway loads no agent, no model client and no demo home', () => {
    const gateway = footprintOf(stack.gateway, modulesDir);
    expect([...gateway.agents]).toEqual([]);
    expect(gateway.libs).not.toContain('ha-demo');
    expect(MODEL_PACKAGES.filter((name) => gateway.packages.has(name))).toEqual([]);
    // It does store conversations, and talks A2A.
    expect(gateway.packages).toContain('typeorm');
    expect(gateway.packages).not.toContain('@electric-sql/pglite');
    expect(gateway.packages).toContain('@a2a-js/sdk');
  });

  it.each(AGENT_TABLE.map((agent) => [agent.name, agent] as const))('the %s service loads its own agent only, and only the parts it needs', (name, agent) => {
    const footprint = footprintOf(stack.agents[name], modulesDir);
    expect([...footprint.agents]).toEqual([name]);
    expect(footprint.libs).not.toContain('ha-demo');
    expect(footprint.libs).not.toContain('gateway');
    const models = MODEL_PACKAGES.filter((pkg) => footprint.packages.has(pkg));
    if (agent.llm === 'chat') expect(models).toContain('@langchain/core');
    else expect(models).toEqual([]);
    const databases = DATABASE_PACKAGES.filter((pkg) => footprint.packages.has(pkg));
    if (agent.database) expect(databases).toContain('typeorm');
    else expect(databases).toEqual([]);
    // The stack's one database is reached over the wire: no service carries an embedded PGlite.
    expect(footprint.packages).not.toContain('@electric-sql/pglite');
    if (!agent.homeAssistant) expect(footprint.packages).not.toContain('home-assistant-js-websocket');
  });
});
