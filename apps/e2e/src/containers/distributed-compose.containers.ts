import { freePort } from '../../../../tools/start-distributed/stack.mjs';
import { ComposeStack } from '../support/compose-stack';
import { verifyEnergyAnswer } from '../support/energy-figures';
import { agentTrail, API_KEY, collectStream, ENERGY_QUESTION, openaiClient } from '../support/gateway-client';

/** Agent services of compose.distributed.yaml and the .env variable of each one's host port. */
const AGENT_PORT_VARIABLES = {
  orchestrator: 'ORCHESTRATOR_PORT',
  architect: 'ARCHITECT_PORT',
  'ds-orchestrator': 'DS_ORCHESTRATOR_PORT',
  'ds-analysts': 'DS_ANALYSTS_PORT',
  developer: 'DEVELOPER_PORT',
  librarian: 'LIBRARIAN_PORT',
  'dashboard-designer': 'DASHBOARD_DESIGNER_PORT',
} as const;
type Agent = keyof typeof AGENT_PORT_VARIABLES;
const AGENTS = Object.keys(AGENT_PORT_VARIABLES) as Agent[];
const HA_TOKEN = 'aether-demo-token';

/**
 * `compose.yaml` + `compose.distributed.yaml` from the images `make build-services` built: the
 * gateway, the 7 agents in containers of their own, PostgreSQL and the demo home, on one network.
 */
describe('distributed stack in containers (compose)', () => {
  let stack: ComposeStack;
  const ports: Record<string, number> = {};
  const url = (variable: string) => `http://127.0.0.1:${ports[variable]}`;

  beforeAll(async () => {
    for (const variable of ['AETHER_PORT', 'HA_DEMO_PORT', ...Object.values(AGENT_PORT_VARIABLES)]) {
      ports[variable] = await freePort();
    }
    stack = new ComposeStack({
      project: `aether-e2e-dist-${process.pid}`,
      files: ['compose.yaml', 'compose.distributed.yaml'],
      env: {
        POSTGRES_PASSWORD: 'e2e-postgres-password',
        AETHER_API_KEYS: API_KEY,
        AETHER_SERVICE_TOKEN: 'e2e-service-token',
        POSTGRES_IMAGE: process.env.POSTGRES_IMAGE ?? 'aether-postgres:15',
        ...Object.fromEntries(Object.entries(ports).map(([variable, port]) => [variable, String(port)])),
      },
    });
    const started = Date.now();
    await stack.up(['postgres', 'migrate', ...AGENTS, 'app', 'ha-demo']);
    const upReturned = Date.now();
    await stack.waitHealthy(['postgres', 'ha-demo', ...AGENTS, 'app'], 180_000);
    const seconds = (from: number) => ((Date.now() - from) / 1000).toFixed(1);
    console.log(`compose up → all 10 health checks passing: ${seconds(started)} s (up returned after ${((upReturned - started) / 1000).toFixed(1)} s)`);
  }, 240_000);

  afterAll(async () => {
    await stack?.down();
  }, 120_000);

  it('serves every agent card on its published port, naming the service URL inside the network', async () => {
    for (const agent of AGENTS) {
      const res = await fetch(`${url(AGENT_PORT_VARIABLES[agent])}/.well-known/agent-card.json`);
      expect(res.status).toBe(200);
      const card = await res.json();
      expect(card).toMatchObject({ name: agent, capabilities: { streaming: true } });
      expect(card.url).toContain(`http://${agent}:8000`);
      expect(card.skills.length).toBeGreaterThan(0);
    }
  });

  /** The gateway's health once `settled` holds for it, or as it is after the probes' hysteresis had time to act. */
  async function gatewayHealthWhen(settled: (health: { status: string }) => boolean, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await (await fetch(`${url('AETHER_PORT')}/api/v1/health`)).json();
      if (settled(health) || Date.now() > deadline) return health;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('reports every agent remote and reachable through the gateway', async () => {
    const health = await gatewayHealthWhen((h) => h.status === 'ok');
    expect(health).toMatchObject({ status: 'ok', mode: 'distributed' });
    for (const agent of AGENTS) expect(health.agents[agent]).toMatchObject({ location: 'remote', reachable: true });
    expect(health.defaults.database).toMatchObject({ embedded: false });
    expect(health.defaults.homeAssistant).toMatchObject({ embedded: false, url: 'http://ha-demo:8000' });
  });

  it('answers "Analyze my energy usage" through the agent containers with the figures HA history gives', async () => {
    const stream = await openaiClient(url('AETHER_PORT')).chat.completions.create(
      { model: 'aether-offline', stream: true, messages: [{ role: 'user', content: ENERGY_QUESTION }] },
      { headers: { 'X-Aether-Events': '1' } },
    );
    const result = await collectStream(stream);
    expect(result.finishReason).toBe('stop');
    expect(agentTrail(result.events).slice(0, 4)).toEqual(['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts']);
    // The same independent check as the process-based e2e test, against the demo home's published port.
    await verifyEnergyAnswer(result.content, url('HA_DEMO_PORT'), HA_TOKEN);
  });

  it('reports a stopped agent container, answers requests that need it with 503, and recovers after a restart', async () => {
    await stack.compose('stop', 'ds-analysts');

    // The gateway's health comes from background probes with hysteresis (AETHER_HEALTH_*): it turns
    // degraded after a few failed probes, not at the first request.
    const health = await gatewayHealthWhen((h) => h.status === 'degraded');
    expect(health.status).toBe('degraded');
    expect(health.agents['ds-analysts']).toMatchObject({ location: 'remote', reachable: false });
    expect(health.agents.architect).toMatchObject({ reachable: true });

    const res = await fetch(`${url('AETHER_PORT')}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: 'aether-offline', agent: 'ds-orchestrator', messages: [{ role: 'user', content: ENERGY_QUESTION }] }),
    });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: expect.any(String) });
    expect(body.error.message).toMatch(/ds-analysts/);

    await stack.compose('start', 'ds-analysts');
    await stack.waitHealthy(['ds-analysts'], 60_000);
    const recovered = await gatewayHealthWhen((h) => h.status === 'ok');
    expect(recovered.status).toBe('ok');
    expect(recovered.agents['ds-analysts']).toMatchObject({ reachable: true });

    const completion = await openaiClient(url('AETHER_PORT')).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    });
    await verifyEnergyAnswer(completion.choices[0].message.content ?? '', url('HA_DEMO_PORT'), HA_TOKEN);
  }, 120_000);
});
