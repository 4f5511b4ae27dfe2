import { AgentError } from '@aether/core';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, testConfig, type GatewayTestApp } from '../testing/gateway-test-app';
import { dataOf, sseBlocks } from '../testing/raw-sse-reader';
import { failWith } from '../testing/scripted-agent-client';

const API_KEY = 'sk-agent-calls';
const hi = [{ role: 'user', content: 'hi' }];

describe('gateway: failed calls between agents and the request deadline', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    const defaults = testConfig();
    gateway = await startGatewayApp({
      agents,
      config: { apiKeys: [API_KEY], agentCalls: { ...defaults.agentCalls, requestDeadlineMs: 45_000 } },
    });
  });
  afterAll(() => gateway.close());

  function post(body: object): Promise<Response> {
    return fetch(`${gateway.origin}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify(body),
    });
  }

  it('gives every request its overall deadline, which travels to the agents in the call context', async () => {
    agents.clients.orchestrator.script = async function* () {
      yield { type: 'token', agent: 'orchestrator', content: 'ok' };
    };
    const before = Date.now();
    const response = await post({ model: 'aether-offline', messages: hi });
    expect(response.status).toBe(200);
    const deadline = agents.clients.orchestrator.calls.at(-1)?.request.context.deadline;
    expect(deadline).toBeGreaterThanOrEqual(before + 45_000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 45_000);
  });

  it.each([
    ['timeout', 504, 'The ds-orchestrator agent sent nothing for 2000 ms (idle timeout)', 'ds-orchestrator'],
    ['connection_reset', 502, 'The connection to the architect agent broke after its task started (reset); not retried, as the task may have run', 'architect'],
    ['agent_unavailable', 503, 'The architect agent is unreachable: its circuit breaker is open after repeated failures', 'architect'],
  ] as const)('answers an agent call that failed with %s with HTTP %i and an OpenAI error naming the agent', async (code, status, message, agent) => {
    agents.clients.orchestrator.script = failWith(new AgentError(code, message, agent));
    const response = await post({ model: 'aether-offline', messages: hi });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { message, type: 'server_error', param: null, code } });
  });

  it('ends a stream whose agent call timed out after it started with an error chunk and [DONE]', async () => {
    agents.clients.orchestrator.script = async function* () {
      yield { type: 'token', agent: 'orchestrator', content: 'partial' };
      throw new AgentError('timeout', 'The ds-orchestrator agent sent nothing for 2000 ms (idle timeout)', 'ds-orchestrator');
    };
    const response = await post({ model: 'aether-offline', messages: hi, stream: true });
    expect(response.status).toBe(200);
    const data: unknown[] = [];
    for await (const block of sseBlocks(response)) {
      const value = dataOf(block);
      if (value !== undefined) data.push(value);
    }
    expect(data.at(-1)).toBe('[DONE]');
    expect(data.at(-2)).toEqual({
      error: { message: 'The ds-orchestrator agent sent nothing for 2000 ms (idle timeout)', type: 'server_error', param: null, code: 'timeout' },
    });
  });
});
