import { MetricsRegistry } from '@aether/observability';
import { LIBRECHAT_TITLE, UTILITY_PROMPTS, type UtilityPromptFixture } from '@aether/llm/testing';
import OpenAI, { APIError } from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { scriptOf } from '../testing/scripted-agent-client';

const EMOJI_FIRST = /^\p{Extended_Pictographic}\uFE0F?\s/u;

/** Open WebUI sends its background tasks as one user message, non-streamed, with the chat's model. */
describe('utility requests (titles, tags, follow-ups) through the official openai SDK', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let conversations: InMemoryConversationStore;
  let metrics: MetricsRegistry;
  let openai: OpenAI;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    conversations = new InMemoryConversationStore();
    metrics = new MetricsRegistry('gateway-utility-test');
    gateway = await startGatewayApp({ agents, conversations, metrics });
    openai = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: 'unused-in-open-mode', maxRetries: 0 });
  });

  afterEach(() => gateway.close());

  async function agentCompletions(): Promise<number> {
    const metric = await metrics.registry.getSingleMetric('aether_chat_completions_total')?.get();
    return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  }

  function expectNoAgentAndNothingStored(): void {
    for (const client of Object.values(agents.clients)) expect(client.calls).toHaveLength(0);
    expect(conversations.calls.filter((call) => call.method === 'append')).toHaveLength(0);
  }

  it.each(UTILITY_PROMPTS)(
    '$name: valid JSON of the asked shape within 1 s, no agent task, nothing stored',
    async ({ prompt, key, list }: UtilityPromptFixture) => {
      const started = performance.now();
      const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: prompt }] });
      expect(performance.now() - started).toBeLessThan(1000);

      const answer = JSON.parse(completion.choices[0].message.content ?? '') as Record<string, unknown>;
      expect(Object.keys(answer)).toEqual([key]);
      if (list) {
        expect(Array.isArray(answer[key])).toBe(true);
        expect((answer[key] as unknown[]).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
      } else {
        expect(typeof answer[key]).toBe('string');
      }
      if (key === 'title') {
        expect(answer[key]).toMatch(EMOJI_FIRST);
        const words = (answer[key] as string).split(' ').slice(1);
        expect(words.length).toBeGreaterThanOrEqual(3);
        expect(words.length).toBeLessThanOrEqual(5);
      }
      if (key === 'tags') expect((answer[key] as string[]).length).toBeLessThanOrEqual(3);
      if (key === 'follow_ups') expect(answer[key]).toHaveLength(3);
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect((completion as { conversation_id?: string }).conversation_id).toBeUndefined();

      expectNoAgentAndNothingStored();
      expect(await agentCompletions()).toBe(0);
      const utility = await metrics.registry.getSingleMetric('aether_utility_completions_total')?.get();
      expect(utility?.values).toEqual([{ value: 1, labels: { kind: key, outcome: 'ok' } }]);
    },
  );

  it('answers a title task sent as a stream the same way, as plain chunks', async () => {
    const stream = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: UTILITY_PROMPTS[0].prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(JSON.parse(text)).toEqual({ title: expect.stringMatching(EMOJI_FIRST) });
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expectNoAgentAndNothingStored();
  });

  it('answers a LibreChat-style title prompt with a plain title', async () => {
    const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: LIBRECHAT_TITLE }] });
    expect(completion.choices[0].message.content).toMatch(EMOJI_FIRST);
    expectNoAgentAndNothingStored();
  });

  it('takes the client at its word: X-Aether-Request-Kind and metadata', async () => {
    const byHeader = await openai.chat.completions.create(
      {
        model: 'aether-offline',
        messages: [{ role: 'user', content: 'Name this chat. USER: What lights are on?' }],
        response_format: { type: 'json_schema', json_schema: { name: 'name', schema: { type: 'object', properties: { title: { type: 'string' } } } } },
      },
      { headers: { 'X-Aether-Request-Kind': 'utility' } },
    );
    expect(JSON.parse(byHeader.choices[0].message.content ?? '')).toEqual({ title: expect.stringMatching(EMOJI_FIRST) });

    const byMetadata = await openai.chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'Tags for: USER: Is the front door locked?' }],
      response_format: { type: 'json_object' },
      metadata: { aether_request_kind: 'utility' },
    });
    expect(JSON.parse(byMetadata.choices[0].message.content ?? '')).toEqual({ tags: expect.any(Array) });
    expectNoAgentAndNothingStored();

    // …and the other way round: a template-shaped message the client says is a chat goes to the agents.
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    await openai.chat.completions.create(
      { model: 'aether-offline', messages: [{ role: 'user', content: UTILITY_PROMPTS[0].prompt }] },
      { headers: { 'X-Aether-Request-Kind': 'chat' } },
    );
    expect(agents.clients.orchestrator.calls).toHaveLength(1);
  });

  it('refuses response_format on a request for the agents, saying why', async () => {
    const error = await openai.chat.completions
      .create({ model: 'aether-offline', messages: [{ role: 'user', content: 'What lights are on?' }], response_format: { type: 'json_object' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, param: 'response_format' });
    expect((error as APIError).message).toMatch(/several model calls.*utility/);
    expectNoAgentAndNothingStored();
  });
});
