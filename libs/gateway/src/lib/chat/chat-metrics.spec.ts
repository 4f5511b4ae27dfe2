import { AgentError } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import OpenAI from 'openai';
import { FakeAgentDirectory } from '../../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../../testing/gateway-test-app';
import { failWith, scriptOf } from '../../testing/scripted-agent-client';

describe('chat metrics', () => {
  let gateway: GatewayTestApp;
  let metrics: MetricsRegistry;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    metrics = new MetricsRegistry('gateway-test');
    agents = new FakeAgentDirectory();
    gateway = await startGatewayApp({ agents, metrics });
  });

  afterAll(() => gateway.close());

  it('counts completions by agent, mode and outcome, and times the first token', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: 'unused-in-open-mode', maxRetries: 0 });
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'architect', content: 'hello' });
    const stream = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const _chunk of stream) {
      // drain
    }
    agents.clients.orchestrator.script = failWith(new AgentError('agent_unavailable', 'down', 'orchestrator'));
    await openai.chat.completions
      .create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] })
      .catch(() => undefined);

    const completions = await metrics.registry.getSingleMetric('aether_chat_completions_total')?.get();
    expect(completions?.values).toEqual(
      expect.arrayContaining([
        { value: 1, labels: { agent: 'orchestrator', stream: 'true', outcome: 'ok' } },
        { value: 1, labels: { agent: 'orchestrator', stream: 'false', outcome: 'agent_unavailable' } },
      ]),
    );
    const firstToken = await metrics.registry.getSingleMetric('aether_chat_first_token_seconds')?.get();
    expect(firstToken?.values).toContainEqual(
      expect.objectContaining({ metricName: 'aether_chat_first_token_seconds_count', value: 1, labels: { agent: 'orchestrator' } }),
    );
  });
});
