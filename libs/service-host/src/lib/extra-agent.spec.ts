import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientFactory } from '@a2a-js/sdk/client';
import { jest } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import OpenAI from 'openai';
import { AetherAgent } from '@aether/a2a';
import { loadConfig } from '@aether/config';
import { AGENT_TABLE, type Agent, type AgentEvent, type AgentName, type AgentRequest } from '@aether/core';
import type { PostgresTestSchema } from '@aether/persistence/testing';
import { registerAgent } from './agent-modules';
import { AgentServiceModule, GatewayHostModule } from './service-modules';

// An eighth agent, declared exactly as the seven are: a row, and a module providing an
// `@AetherAgent`. Nothing else in the platform is told about it.
const ECHO = 'echo' as AgentName;
const TOKEN = 'extra-agent-test-token';

@Injectable()
@AetherAgent({
  name: ECHO,
  card: { name: ECHO, description: 'Repeats what it is told', skills: [{ id: 'echo', name: 'Echo', description: 'Echoes the message', tags: ['test'] }] },
})
class EchoAgent implements Agent {
  readonly name = ECHO;
  async *run(request: AgentRequest): AsyncGenerator<AgentEvent> {
    yield { type: 'token', agent: ECHO, content: `echo: ${request.message}` };
  }
}

@Module({ providers: [EchoAgent] })
class EchoAgentModule {}

registerAgent(
  { name: ECHO, label: 'Echo', port: 8099, urlEnv: 'ECHO_SERVICE_URL', homeAssistant: false, llm: false, database: false, calls: [] },
  async () => EchoAgentModule,
);

const dataDirs: string[] = [];
const schemas: PostgresTestSchema[] = [];
const apps: INestApplication[] = [];

/** Settings of one test process: a database of its own (PostgreSQL when CI names one, else PGlite). */
async function settings(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aether-extra-agent-'));
  dataDirs.push(dataDir);
  const database: Record<string, string> = {};
  if (process.env['DATABASE_URL']) {
    // Imported lazily, as this library imports persistence (module boundaries forbid mixing both).
    const { createPostgresTestSchema } = await import('@aether/persistence/testing');
    const schema = await createPostgresTestSchema();
    schemas.push(schema);
    Object.assign(database, { DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema });
  }
  return loadConfig({ NODE_ENV: 'test', AETHER_DATA_DIR: dataDir, AETHER_SERVICE_TOKEN: TOKEN, LOG_LEVEL: 'error', ...database, ...env });
}

async function listen(module: Promise<unknown>): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create((await module) as never, { bodyParser: false, logger: false, forceCloseConnections: true });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function askEcho(gatewayUrl: string, message: string): Promise<string> {
  const openai = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'none', maxRetries: 0 });
  const completion = await openai.chat.completions.create({
    model: 'aether-offline',
    messages: [{ role: 'user', content: message }],
    ...({ agent: ECHO } as object),
  });
  return completion.choices[0].message.content ?? '';
}

// Real Nest apps with their databases (and, in the monolith, every agent and the demo home).
jest.setTimeout(60_000);

describe('an agent added through the declaration path (one row, one module)', () => {
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    for (const schema of schemas) await schema.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs in the monolith gateway, in-process, and answers through the OpenAI API', async () => {
    // Every agent is local; a real Home Assistant is not needed to prove this, so the demo home serves.
    const gateway = await listen(GatewayHostModule.forRoot(await settings({})));
    expect(await askEcho(gateway.url, 'hello')).toBe('echo: hello');
    const health = await (await fetch(`${gateway.url}/api/v1/health`)).json();
    expect(health.agents[ECHO]).toEqual({ location: 'local', status: 'up' });
    // One embedded PGlite per process: close this gateway before the next one opens its own.
    await gateway.app.close();
    apps.splice(apps.indexOf(gateway.app), 1);
  });

  it('is served as its own A2A service (card, health, ready) and reached by the distributed gateway', async () => {
    // Its service and a distributed gateway: every other agent points at a port nobody listens on.
    const nobody = Object.fromEntries(AGENT_TABLE.map((agent) => [agent.urlEnv, 'http://127.0.0.1:9']));
    const service = await listen(AgentServiceModule.forAgent(ECHO, await settings({ DEPLOYMENT_MODE: 'distributed', ...nobody })));

    const card = await (await fetch(`${service.url}/.well-known/agent-card.json`)).json();
    expect(card).toMatchObject({ name: 'echo', description: 'Repeats what it is told', skills: [{ id: 'echo' }] });
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    expect((await fetch(`${service.url}/ready`)).status).toBe(200);

    // The official A2A client, with the service token.
    const client = await new ClientFactory().createFromUrl(service.url);
    expect((await client.getAgentCard()).name).toBe('echo');

    const gateway = await listen(
      GatewayHostModule.forRoot(await settings({ DEPLOYMENT_MODE: 'distributed', ...nobody, ECHO_SERVICE_URL: service.url })),
    );
    expect(await askEcho(gateway.url, 'over A2A')).toBe('echo: over A2A');
    const health = await (await fetch(`${gateway.url}/api/v1/health`)).json();
    expect(health.agents[ECHO]).toMatchObject({ location: 'remote', url: service.url, reachable: true });
    expect(health.agents['architect']).toMatchObject({ location: 'remote', reachable: false });
  });
});
