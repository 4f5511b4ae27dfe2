import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadinessCheck } from '@aether/a2a';
import { loadConfig } from '@aether/config';
import { AGENT_NAMES, ShutdownState } from '@aether/core';
import { createHomeAssistantClient } from '@aether/home-assistant';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { FakeLlmProfile } from '../../testing/fake-llm-profile';
import { startGatewayApp, type GatewayTestApp } from '../../testing/gateway-test-app';
import { GatewayHealthService } from './gateway-health.service';

/** Probes only when a test drives them (`probeAll`); one failure turns a dependency down. */
const PROBES_ON_DEMAND = { ...loadConfig({}).health, intervalMs: 3_600_000, timeoutMs: 200, failuresToDown: 1 };
const ISO_TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const monitorOf = (gateway: GatewayTestApp) => gateway.app.get(GatewayHealthService).dependencies;

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('GET /health', () => {
  it('shows a monolith with every agent local and the embedded defaults in use', async () => {
    const gateway = await startGatewayApp({ config: { apiKeys: ['sk-x'] } });
    try {
      const response = await fetch(`${gateway.origin}/api/v1/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        mode: 'monolith',
        agents: Object.fromEntries(AGENT_NAMES.map((name) => [name, { location: 'local', status: 'up' }])),
        defaults: {
          homeAssistant: { embedded: true, url: null },
          database: { embedded: true, target: expect.stringMatching(/^embedded PGlite at .*[/\\]gateway[/\\]pglite$/) },
          llm: { embedded: true, provider: 'offline', models: ['aether-offline'] },
        },
        auth: { open: false },
      });
    } finally {
      await gateway.close();
    }
  });

  it('shows configured Home Assistant, database and LLM as not embedded, without the database password', async () => {
    const gateway = await startGatewayApp({
      models: new FakeLlmProfile(['gpt-4o-mini', 'gpt-4o'], 'openai-compatible'),
      homeAssistantUrl: 'http://127.0.0.1:8123',
      config: {
        ha: { url: 'http://127.0.0.1:8123', timeoutMs: 1000, demo: { token: 'aether-demo-token', admin: true, installationType: 'core', energyPrefsShape: 'unified' } },
        database: { url: 'postgres://aether:s3cret@127.0.0.1:5432/aether', schema: 'public', dataDir: '.aether' },
      },
    });
    try {
      const health = await (await fetch(`${gateway.origin}/v1/health`)).json();
      expect(health.defaults).toEqual({
        homeAssistant: { embedded: false, url: 'http://127.0.0.1:8123' },
        database: { embedded: false, target: 'PostgreSQL postgres://aether:***@127.0.0.1:5432/aether (schema public)' },
        llm: { embedded: false, provider: 'openai-compatible', models: ['gpt-4o-mini', 'gpt-4o'] },
      });
      expect(health.auth).toEqual({ open: true });
    } finally {
      await gateway.close();
    }
  });

  it(
    'probes remote agents in parallel and reports degraded when one is unreachable',
    async () => {
      const agents = new FakeAgentDirectory(['orchestrator', 'architect', 'librarian'], {
        deploymentMode: 'selective',
        agentUrls: {
          orchestrator: 'http://127.0.0.1:8007',
          architect: 'http://127.0.0.1:8001',
          librarian: 'http://127.0.0.1:8005',
          developer: 'http://127.0.0.1:8004',
        },
      });
      agents.probes.orchestrator = async () => ({ reachable: true, latencyMs: 3 });
      agents.probes.architect = async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:8001');
      };
      // Never answers: the probe timeout, not the agent, decides.
      agents.probes.librarian = () => new Promise(() => undefined);
      const gateway = await startGatewayApp({ agents, config: { health: PROBES_ON_DEMAND } });
      try {
        await monitorOf(gateway).checked();
        const response = await fetch(`${gateway.origin}/api/v1/health`);
        expect(response.status).toBe(200);
        const health = await response.json();
        expect(health.status).toBe('degraded');
        expect(health.mode).toBe('selective');
        expect(health.agents.orchestrator).toEqual({
          location: 'remote',
          status: 'up',
          last_checked: ISO_TIME,
          url: 'http://127.0.0.1:8007',
          reachable: true,
          latencyMs: expect.any(Number),
        });
        expect(health.agents.architect).toEqual({
          location: 'remote',
          status: 'down',
          last_checked: ISO_TIME,
          url: 'http://127.0.0.1:8001',
          reachable: false,
          latencyMs: expect.any(Number),
          error: 'connect ECONNREFUSED 127.0.0.1:8001',
        });
        expect(health.agents.librarian).toMatchObject({
          location: 'remote',
          status: 'down',
          reachable: false,
          error: `no answer within ${PROBES_ON_DEMAND.timeoutMs} ms`,
        });
        expect(health.agents.developer).toEqual({ location: 'local', status: 'up' });
        // Only the entry agent is needed to take requests.
        const ready = await fetch(`${gateway.origin}/api/v1/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({
          status: 'ready',
          failing: [],
          dependencies: { 'agent:orchestrator': { status: 'up', last_checked: ISO_TIME } },
        });
      } finally {
        await gateway.close();
      }
    },
  );

  it("shows the HA token's rights that remote agents report in their /health (distributed: the gateway talks to no HA itself)", async () => {
    const notAdmin = "config APIs unavailable: the HA token's user is not an administrator";
    const agents = new FakeAgentDirectory(['developer', 'librarian', 'orchestrator']);
    agents.probes.developer = async () => ({ reachable: true, latencyMs: 1, details: { homeAssistantAccess: { admin: false, limitations: [notAdmin] } } });
    agents.probes.librarian = async () => ({ reachable: true, latencyMs: 1, details: { homeAssistantAccess: { admin: null, limitations: [] } } });
    agents.probes.orchestrator = async () => ({ reachable: true, latencyMs: 1 });
    const gateway = await startGatewayApp({ agents, config: { health: PROBES_ON_DEMAND } });
    try {
      await monitorOf(gateway).checked();
      const health = await (await fetch(`${gateway.origin}/api/v1/health`)).json();
      expect(health.homeAssistantAccess).toEqual({ admin: false, limitations: [notAdmin] });
      // Still ok: a token without admin rights limits features, it breaks nothing.
      expect(health.status).toBe('ok');
    } finally {
      await gateway.close();
    }
  });

  it('is ok (and ready) when every remote agent answers, and /ready turns 503 once the readiness gate closes', async () => {
    const agents = new FakeAgentDirectory(['ds-analysts']);
    agents.probes['ds-analysts'] = async () => ({ reachable: true, latencyMs: 1 });
    const gateway = await startGatewayApp({ agents });
    try {
      await monitorOf(gateway).checked();
      const health = await (await fetch(`${gateway.origin}/api/v1/health`)).json();
      expect(health.status).toBe('ok');
      expect(health.agents['ds-analysts']).toEqual({ location: 'remote', status: 'up', last_checked: ISO_TIME, reachable: true, latencyMs: expect.any(Number) });
      expect((await fetch(`${gateway.origin}/api/v1/ready`)).status).toBe(200);
      gateway.app.get(ShutdownState).beginDrain();
      const draining = await fetch(`${gateway.origin}/api/v1/ready`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ status: 'unavailable', failing: ['accepting'] });
      expect((await fetch(`${gateway.origin}/api/v1/health`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  describe('dependencies, probed in the background', () => {
    let homeAssistant: Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => (homeAssistant ? homeAssistant.close(resolve) : resolve(undefined)));
      homeAssistant = undefined;
    });

    it('reports Home Assistant down (and /ready 503) when the HA client cannot reach it, up again once it answers', async () => {
      const port = await closedPort();
      const ha = createHomeAssistantClient({ url: `http://127.0.0.1:${port}`, token: 't', timeoutMs: 150 });
      const database = { up: true };
      const checks: ReadinessCheck[] = [
        { name: 'home-assistant', check: async () => void (await ha.ping()) },
        {
          name: 'database',
          check: async () => {
            if (!database.up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
          },
        },
      ];
      const gateway = await startGatewayApp({ readinessChecks: checks, config: { health: PROBES_ON_DEMAND } });
      try {
        const monitor = monitorOf(gateway);
        await monitor.checked();
        const health = await (await fetch(`${gateway.origin}/api/v1/health`)).json();
        expect(health.status).toBe('degraded');
        expect(health.homeAssistant).toEqual({ status: 'down', last_checked: ISO_TIME, error: expect.stringContaining(`127.0.0.1:${port}`) });
        expect(health.database).toEqual({ status: 'up', last_checked: ISO_TIME });
        const notReady = await fetch(`${gateway.origin}/v1/ready`);
        expect(notReady.status).toBe(503);
        expect(await notReady.json()).toMatchObject({ status: 'unavailable', failing: ['home-assistant'] });

        homeAssistant = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"API running."}'));
        await new Promise<void>((resolve) => homeAssistant?.listen(port, '127.0.0.1', resolve));
        await monitor.probeAll();
        expect((await (await fetch(`${gateway.origin}/api/v1/health`)).json()).homeAssistant).toEqual({ status: 'up', last_checked: ISO_TIME });
        expect((await fetch(`${gateway.origin}/api/v1/ready`)).status).toBe(200);

        database.up = false;
        await monitor.probeAll();
        const noDatabase = await fetch(`${gateway.origin}/api/v1/ready`);
        expect(noDatabase.status).toBe(503);
        expect(await noDatabase.json()).toMatchObject({
          failing: ['database'],
          dependencies: { database: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' } },
        });
      } finally {
        await gateway.close();
      }
    });

    it('is 503 while the entry agent is down, and probes on its interval only (requests never probe)', async () => {
      const agents = new FakeAgentDirectory(['orchestrator']);
      let probes = 0;
      agents.probes.orchestrator = async () => {
        probes += 1;
        return { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:8007' };
      };
      const gateway = await startGatewayApp({ agents, config: { health: PROBES_ON_DEMAND } });
      try {
        await monitorOf(gateway).checked();
        expect(probes).toBe(1);
        for (let request = 0; request < 10; request += 1) {
          await (await fetch(`${gateway.origin}/api/v1/health`)).arrayBuffer();
          expect((await fetch(`${gateway.origin}/api/v1/ready`)).status).toBe(503);
        }
        expect(probes).toBe(1);
      } finally {
        await gateway.close();
      }
    });

    it('answers /health at once while a dependency probe hangs (/ready is 503 until it has been seen up)', async () => {
      const hanging: ReadinessCheck = { name: 'database', check: () => new Promise(() => undefined) };
      const gateway = await startGatewayApp({ readinessChecks: [hanging], config: { health: { ...PROBES_ON_DEMAND, timeoutMs: 3_000_000 - 1 } } });
      try {
        // The first probe never settles: liveness must not wait on it.
        const health = await fetch(`${gateway.origin}/api/v1/health`);
        expect(health.status).toBe(200);
        expect((await health.json()).database).toEqual({ status: 'pending', last_checked: null });
        expect((await fetch(`${gateway.origin}/api/v1/ready`)).status).toBe(503);
      } finally {
        monitorOf(gateway).stop();
        await gateway.close();
      }
    });
  });
});
