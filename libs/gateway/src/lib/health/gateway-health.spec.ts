import { AGENT_NAMES } from '@aether/core';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { FakeLlmProfile } from '../../testing/fake-llm-profile';
import { startGatewayApp } from '../../testing/gateway-test-app';
import { AGENT_PROBE_TIMEOUT_MS } from './gateway-health.service';

describe('GET /health', () => {
  it('shows a monolith with every agent local and the embedded defaults in use', async () => {
    const gateway = await startGatewayApp({ config: { apiKeys: ['sk-x'] } });
    try {
      const response = await fetch(`${gateway.origin}/api/v1/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        mode: 'monolith',
        agents: Object.fromEntries(AGENT_NAMES.map((name) => [name, { location: 'local' }])),
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
        ha: { url: 'http://127.0.0.1:8123', timeoutMs: 1000, demo: { token: 'aether-demo-token' } },
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
      const gateway = await startGatewayApp({ agents });
      try {
        const response = await fetch(`${gateway.origin}/api/v1/health`);
        expect(response.status).toBe(200);
        const health = await response.json();
        expect(health.status).toBe('degraded');
        expect(health.mode).toBe('selective');
        expect(health.agents.orchestrator).toEqual({
          location: 'remote',
          url: 'http://127.0.0.1:8007',
          reachable: true,
          latencyMs: 3,
        });
        expect(health.agents.architect).toEqual({
          location: 'remote',
          url: 'http://127.0.0.1:8001',
          reachable: false,
          error: 'connect ECONNREFUSED 127.0.0.1:8001',
        });
        expect(health.agents.librarian).toEqual({
          location: 'remote',
          url: 'http://127.0.0.1:8005',
          reachable: false,
          error: `no answer within ${AGENT_PROBE_TIMEOUT_MS} ms`,
        });
        expect(health.agents.developer).toEqual({ location: 'local' });
      } finally {
        await gateway.close();
      }
    },
    AGENT_PROBE_TIMEOUT_MS + 5_000,
  );

  it('is ok when every remote agent answers', async () => {
    const agents = new FakeAgentDirectory(['ds-analysts']);
    agents.probes['ds-analysts'] = async () => ({ reachable: true, latencyMs: 1 });
    const gateway = await startGatewayApp({ agents });
    try {
      const health = await (await fetch(`${gateway.origin}/api/v1/health`)).json();
      expect(health.status).toBe('ok');
      expect(health.agents['ds-analysts']).toEqual({ location: 'remote', reachable: true, latencyMs: 1 });
    } finally {
      await gateway.close();
    }
  });
});
