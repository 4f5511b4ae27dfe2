import { startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { API_KEY, ENERGY_QUESTION, openaiClient } from './support/gateway-client';
import { stackDatabase, type E2eDatabase } from './support/database';
import { FakeLlmServer, FINAL_ANSWER_OPENING } from './support/fake-llm-server';

const OTHER_KEY = 'e2e-other-key';
const USAGE = { prompt_tokens: 1200, completion_tokens: 340, cached_tokens: 1024, reasoning_tokens: 256 };

/**
 * The providers' token usage across process hops: a fake model reports usage with reasoning and
 * cached tokens on every call; the gateway's `GET /api/v1/usage` shows exactly those numbers per
 * agent and model for the key that asked, and nothing for another key.
 */
describe('distributed stack: model usage per agent and model', () => {
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  const llm = new FakeLlmServer({ usage: USAGE });

  beforeAll(async () => {
    const llmUrl = await llm.start();
    llm.open();
    stack = await startDistributedStack({
      randomPorts: true,
      env: {
        ...(database = await stackDatabase()).env,
        AETHER_API_KEYS: `${API_KEY},${OTHER_KEY}`,
        LLM_BASE_URL: llmUrl,
        LLM_API_KEY: 'fake-key',
        LLM_MODEL: 'fake-model',
        ORCHESTRATOR_MODEL: 'fake-router',
        ARCHITECT_MODEL: 'fake-reasoner',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await llm.stop();
    await database?.drop();
  });

  async function usage(key: string): Promise<{ data: Array<{ group: string; calls: number; models: Array<Record<string, unknown>> }>; total: Record<string, number> }> {
    const response = await fetch(`${stack.gateway.url}/api/v1/usage?group_by=agent`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    return response.json();
  }

  it("records every model call's provider usage under the agent and model that made it, for the calling key only", async () => {
    const completion = await openaiClient(stack.gateway.url).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
    expect(completion.choices[0].message.content).toContain(FINAL_ANSWER_OPENING);

    // Which agent made each call is known by its model (one per agent here).
    const callsOf = (model: string) => llm.requests.filter((request) => request.body.model === model).length;
    const calls = { orchestrator: callsOf('fake-router'), architect: callsOf('fake-reasoner') };
    expect(calls.orchestrator).toBeGreaterThanOrEqual(1);
    expect(calls.architect).toBe(2);
    const perCalls = (n: number) => ({
      calls: n,
      prompt_tokens: n * USAGE.prompt_tokens,
      completion_tokens: n * USAGE.completion_tokens,
      total_tokens: n * (USAGE.prompt_tokens + USAGE.completion_tokens),
      reasoning_tokens: n * USAGE.reasoning_tokens,
      cached_tokens: n * USAGE.cached_tokens,
    });
    const all = llm.requests.length;
    expect(completion.usage).toEqual({
      prompt_tokens: all * USAGE.prompt_tokens,
      completion_tokens: all * USAGE.completion_tokens,
      total_tokens: all * (USAGE.prompt_tokens + USAGE.completion_tokens),
      prompt_tokens_details: { cached_tokens: all * USAGE.cached_tokens },
      completion_tokens_details: { reasoning_tokens: all * USAGE.reasoning_tokens },
    });

    const mine = await usage(API_KEY);
    const group = (agent: string) => mine.data.find((g) => g.group === agent);
    expect(group('orchestrator')).toEqual({ group: 'orchestrator', ...perCalls(calls.orchestrator), models: [{ model: 'fake-router', ...perCalls(calls.orchestrator) }] });
    expect(group('architect')).toEqual({ group: 'architect', ...perCalls(calls.architect), models: [{ model: 'fake-reasoner', ...perCalls(calls.architect) }] });
    expect(mine.total).toEqual(perCalls(all));

    const theirs = await usage(OTHER_KEY);
    expect(theirs.data).toEqual([]);
    expect(theirs.total['calls']).toBe(0);
  });
});
