import { loadConfig } from '@aether/config';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../testing/fake-openai-server';
import { ConfiguredChatModelFactory } from './configured-chat-model.factory';
import { OpenAiUtilityModel } from './utility/openai-utility.model';

const findTool = tool(async () => 'none', { name: 'find_entities', description: 'Find entities', schema: z.object({ query: z.string(), limit: z.number().int().default(10) }) });

describe('model calls against a provider that validates requests as strict servers do', () => {
  let server: FakeOpenAiServer;
  beforeEach(async () => {
    server = await startFakeOpenAiServer(() => ({ text: 'ok' }), { validate: true });
  });
  afterEach(() => server.close());

  it('rejects, with an OpenAI error envelope, what LangChain sends without the model-call layer', async () => {
    const raw = new ChatOpenAI({ model: 'o3-mini', apiKey: 'unused', temperature: 0.2, maxRetries: 0, configuration: { baseURL: server.baseUrl } }).bindTools([findTool]);
    await expect(raw.invoke([new SystemMessage('Rules'), new HumanMessage('Hi'), new SystemMessage('More rules')])).rejects.toThrow(/400 .*\$schema is not supported/);

    const response = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-5', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: "'max_tokens' is not supported with model gpt-5; use 'max_completion_tokens'", type: 'invalid_request_error', code: 'invalid_request', param: null } });
  });

  it.each(['gpt-4o-mini', 'o3-mini', 'gpt-5'])('%s: the same call through the configured factory is accepted, capped by LLM_MAX_OUTPUT_TOKENS', async (model) => {
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: model, LLM_TEMPERATURE: '0.2', LLM_MAX_OUTPUT_TOKENS: '1000' }).llm);
    const bound = models.create('architect').bindTools!([findTool]);
    const answer = await bound.invoke([new SystemMessage('Rules'), new HumanMessage('Hi'), new SystemMessage('More rules')]);

    expect(answer.content).toBe('ok');
    expect(server.requests.map((r) => r.rejected)).toEqual([undefined]);
    const body = server.requests[0].body as unknown as Record<string, unknown>;
    expect(body[model === 'gpt-4o-mini' ? 'max_tokens' : 'max_completion_tokens']).toBe(1000);
    expect(server.requests[0].body.messages[0]).toEqual({ role: expect.stringMatching(/^(system|developer)$/), content: 'Rules\n\nMore rules' });
  });

  it.each([
    ['gpt-4o-mini', 'max_tokens', 4_096],
    ['gpt-5', 'max_completion_tokens', 32_768],
  ])('%s: without LLM_MAX_OUTPUT_TOKENS, the call is capped by its family (%s %d)', async (model, field, cap) => {
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: model }).llm);
    await models.create('architect').invoke([new HumanMessage('Hi')]);
    expect(server.requests.map((r) => r.rejected)).toEqual([undefined]);
    expect((server.requests[0].body as unknown as Record<string, unknown>)[field]).toBe(cap);
  });

  it.each(['gpt-4o-mini', 'o1', 'deepseek-reasoner'])('%s: a utility request with client sampling parameters and a system message is accepted', async (model) => {
    const utility = new OpenAiUtilityModel({ provider: 'openai-compatible', baseUrl: server.baseUrl, defaultModel: model, agentModels: {}, temperature: 0.3 });
    const answer = await utility.complete({
      model,
      messages: [{ role: 'user', content: '### Task: title' }, { role: 'system', content: 'Reply with JSON.' }],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 20,
    });

    expect(answer.text).toBe('ok');
    expect(server.requests.map((r) => r.rejected)).toEqual([undefined]);
    expect(server.requests[0].body.messages).toEqual([{ role: 'system', content: 'Reply with JSON.' }, { role: 'user', content: '### Task: title' }]);
  });
});
