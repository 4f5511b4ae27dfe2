import { loadConfig } from '@aether/config';
import { jest } from '@jest/globals';
import { AIMessageChunk, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { concat } from '@langchain/core/utils/stream';
import { createAgent } from 'langchain';
import { ConfiguredChatModelFactory } from './configured-chat-model.factory';
import { createHomeTools } from './testing/home-tools';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../testing/fake-openai-server';

/** Answers like a tool-using model: call the analysis tool first, then summarise its result. */
function toolUsingModel(request: RecordedRequest) {
  const last = request.body.messages.at(-1);
  if (last?.role === 'tool') return { text: `Your home used: ${String(last.content)}` };
  if (request.body.tools?.length) {
    return { toolCalls: [{ name: 'consult_data_science_team', args: { query: 'energy', hours: 72 } }] };
  }
  return { text: 'Hello from the fake model, streamed word by word.' };
}

describe('ChatOpenAI from the factory against an OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  let factory: ConfiguredChatModelFactory;

  beforeEach(async () => {
    server = await startFakeOpenAiServer(toolUsingModel);
    factory = new ConfiguredChatModelFactory(
      loadConfig({
        LLM_BASE_URL: server.baseUrl,
        LLM_API_KEY: 'sk-local',
        LLM_MODEL: 'fake-default',
        ARCHITECT_MODEL: 'fake-architect',
        LLM_TEMPERATURE: '0.2',
      }).llm,
    );
  });

  afterEach(() => server.close());

  it('streams tokens from the server as separate chunks', async () => {
    const model = factory.create('librarian');
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream('hello')) chunks.push(chunk as AIMessageChunk);

    const textChunks = chunks.filter((c) => c.text.length > 0);
    expect(textChunks.map((c) => c.text)).toEqual(['Hello', ' from', ' the', ' fake', ' model,', ' streamed', ' word', ' by', ' word.']);
    const merged = chunks.reduce((acc, c) => concat(acc, c));
    expect(merged.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 9, total_tokens: 20 });

    const [request] = server.requests;
    expect(request.headers['authorization']).toBe('Bearer sk-local');
    expect(request.body).toMatchObject({
      model: 'fake-default',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      messages: [{ role: 'user', content: 'hello' }],
    });
  });

  it('invoke() makes one plain request and reports the server-counted usage (no tokenizer download)', async () => {
    const warn = jest.spyOn(console, 'warn');
    try {
      const reply = await factory.create('librarian').invoke('hello');
      expect(reply.text).toBe('Hello from the fake model, streamed word by word.');
      expect(reply.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 9, total_tokens: 20 });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].body.stream).toBeFalsy();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('sends the model the factory chose for the agent and request', async () => {
    await factory.create('architect').invoke('hi');
    await factory.create('architect', { requestedModel: 'client-choice' }).invoke('hi');
    expect(server.requests.map((r) => r.body.model)).toEqual(['fake-architect', 'client-choice']);
  });

  it('performs a tool call round trip inside createAgent, streaming the final answer', async () => {
    const { calls, consultDataScienceTeam } = createHomeTools();
    const agent = createAgent({
      model: factory.create('architect'),
      tools: [consultDataScienceTeam],
      systemPrompt: 'You are the Architect.',
    });

    const streamed: BaseMessage[] = [];
    const stream = await agent.stream(
      { messages: [{ role: 'user', content: 'How much energy did we use?' }] },
      { streamMode: 'messages' },
    );
    for await (const [message] of stream) streamed.push(message);

    expect(calls).toEqual([
      { tool: 'consult_data_science_team', args: { query: 'energy', hours: 72, depth: 'standard' } },
    ]);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first.body.tools?.map((t) => t.function.name)).toEqual(['consult_data_science_team']);
    expect(first.body.messages[0].role).toBe('system');
    expect(JSON.stringify(first.body.messages[0].content)).toContain('You are the Architect.');
    // The tool result goes back under the id of the call the server made.
    const assistant = second.body.messages.find((m) => m.role === 'assistant');
    const toolReply = second.body.messages.find((m) => m.role === 'tool');
    expect(toolReply?.tool_call_id).toBe((assistant?.tool_calls?.[0] as { id: string }).id);

    const answer = 'Your home used: Energy report for the last 72 hours: total 182.4 kWh, peak at 18:00 (heat pump).';
    const tokens = streamed.filter((m) => AIMessageChunk.isInstance(m) && m.text.length > 0).map((m) => m.text);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.join('')).toBe(answer);
    expect(streamed.some((m) => ToolMessage.isInstance(m))).toBe(true);
  });
});
