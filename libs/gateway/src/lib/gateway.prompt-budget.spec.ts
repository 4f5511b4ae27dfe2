import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

describe('gateway prompt budget (AETHER_PROMPT_MAX_TURNS / AETHER_PROMPT_MAX_CHARS)', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    gateway = await startGatewayApp({ agents, config: { prompt: { maxTurns: 6, maxChars: 100_000 } } });
  });
  afterAll(() => gateway.close());

  it('sends the agents only the newest turns of a long resent chat', async () => {
    const messages = [{ role: 'system', content: 'Be brief.' }];
    for (let i = 0; i < 500; i++) messages.push({ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` });
    messages.push({ role: 'user', content: 'and now?' });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'aether-offline', messages }),
    });
    expect(response.status).toBe(200);
    // Usage counts the 8 messages sent (system, 6 turns, the question), not the 1002 of the request.
    const { usage } = (await response.json()) as { usage: { prompt_tokens: number } };
    expect(usage.prompt_tokens).toBeLessThan(8 * 10);
    const { request } = agents.clients.orchestrator.calls.at(-1)!;
    expect(request.message).toBe('and now?');
    expect(request.history.map((t) => t.content)).toEqual(['Be brief.', 'q497', 'a497', 'q498', 'a498', 'q499', 'a499']);
  });
});
