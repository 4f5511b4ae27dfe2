import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { concat } from '@langchain/core/utils/stream';
import { createAgent } from 'langchain';
import type { OfflinePolicy } from '../chat-model-factory';
import { OFFLINE_MODEL_ID } from '../llm-profile';
import { createHomeTools } from '../testing/home-tools';
import { OfflineChatModel } from './offline-chat-model';

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk[]> {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function merge(chunks: AIMessageChunk[]): AIMessageChunk {
  return chunks.reduce((acc, chunk) => concat(acc, chunk));
}

describe('OfflineChatModel', () => {
  const question = [new HumanMessage('Analyze my energy usage over the last 7 days')];

  it('reports itself as aether-offline', async () => {
    const model = new OfflineChatModel();
    expect(model.model).toBe(OFFLINE_MODEL_ID);
    expect(model._llmType()).toBe(OFFLINE_MODEL_ID);
    const reply = await model.invoke([new HumanMessage('hello')]);
    expect(reply.response_metadata['model_name']).toBe(OFFLINE_MODEL_ID);
  });

  it('bindTools returns a runnable binding that carries the tools, leaving the model unbound', async () => {
    const { all } = createHomeTools();
    const model = new OfflineChatModel();
    const bound = model.bindTools(all);
    expect(bound).not.toBe(model);
    expect((await model.invoke(question)).tool_calls).toEqual([]);
    expect((await bound.invoke(question)).tool_calls?.[0]?.name).toBe('consult_data_science_team');
  });

  it('streams text in pieces of whole words, and the chunks add up to the non-streamed answer', async () => {
    const model = new OfflineChatModel({ agentLabel: 'Architect' });
    const messages = [new HumanMessage('hello')];
    const chunks = await collect(await model.stream(messages));
    const invoked = await model.invoke(messages);

    const textChunks = chunks.filter((c) => c.text.length > 0);
    expect(textChunks.length).toBeGreaterThan(3);
    // At most 64 characters (a longer word alone), and no word cut: every piece after the first starts at a space.
    expect(textChunks.every((c) => c.text.length <= 64 || c.text.trim().split(/\s+/).length === 1)).toBe(true);
    expect(textChunks.slice(1).every((c) => /^\s/.test(c.text))).toBe(true);
    const merged = merge(chunks);
    expect(merged.text).toBe(invoked.text);
    expect(merged.text).toContain("I'm Aether's Architect");
    // One id per response, shared by all of its chunks; a new one for the next response.
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(merged.id).not.toBe(invoked.id);
    expect(merged.response_metadata['finish_reason']).toBe('stop');
  });

  it('lets the event loop serve others while it streams a long answer, as tokens arriving from a provider would', async () => {
    const { all, consultDataScienceTeam } = createHomeTools();
    const model = new OfflineChatModel().bindTools(all);
    const first = merge(await collect(await model.stream(question)));
    const report = Array.from({ length: 2000 }, (_, i) => `line${i}`).join(' ');
    const toolResult = await consultDataScienceTeam.invoke({ ...first.tool_calls?.[0], type: 'tool_call' } as never);
    const messages: BaseMessage[] = [...question, first, new ToolMessage({ content: report, tool_call_id: (toolResult as ToolMessage).tool_call_id })];

    let chunksWhenOtherWorkRan: number | undefined;
    let chunks = 0;
    setImmediate(() => (chunksWhenOtherWorkRan = chunks));
    for await (const chunk of await model.stream(messages)) if (chunk.text) chunks += 1;

    expect(chunks).toBeGreaterThan(100);
    expect(chunksWhenOtherWorkRan).toBeDefined();
    expect(chunksWhenOtherWorkRan).toBeLessThan(chunks);
  });

  it('streams tool calls as tool_call_chunks that merge into valid tool_calls with unique ids', async () => {
    const { all } = createHomeTools();
    const policy: OfflinePolicy = () => ({
      kind: 'tool_calls',
      calls: [
        { name: 'discover_entities', args: { domain_filter: 'light' } },
        { name: 'get_entity_state', args: { entity_id: 'light.kitchen' } },
      ],
    });
    const model = new OfflineChatModel({ policy }).bindTools(all);
    const chunks = await collect(await model.stream(question));

    expect(chunks.filter((c) => (c.tool_call_chunks ?? []).length > 0).length).toBe(4);
    const merged = merge(chunks);
    expect(merged.tool_calls).toEqual([
      { type: 'tool_call', id: expect.stringMatching(/^call_/), name: 'discover_entities', args: { domain_filter: 'light' } },
      { type: 'tool_call', id: expect.stringMatching(/^call_/), name: 'get_entity_state', args: { entity_id: 'light.kitchen' } },
    ]);
    expect(merged.tool_calls?.[0].id).not.toBe(merged.tool_calls?.[1].id);
    expect(merged.invalid_tool_calls ?? []).toEqual([]);
    expect(merged.response_metadata['finish_reason']).toBe('tool_calls');
    const usage = merged.usage_metadata;
    expect(usage?.input_tokens).toBe(9); // "Analyze my energy usage over the last 7 days"
    expect(usage?.output_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0));
  });

  it('is deterministic: the same conversation gives the same text and tool calls (fresh ids)', async () => {
    const { all } = createHomeTools();
    const model = new OfflineChatModel().bindTools(all);
    const first = await model.invoke(question);
    const second = await model.invoke(question);
    const strip = (m: AIMessage) => ({ text: m.text, calls: m.tool_calls?.map(({ name, args }) => ({ name, args })) });
    expect(strip(first)).toEqual(strip(second));
    expect(first.tool_calls?.[0].id).not.toBe(second.tool_calls?.[0].id);
    expect(first.id).not.toBe(second.id);
  });

  it('drives a plain bindTools().stream() loop: tool call, tool result, streamed answer', async () => {
    const { all, calls, consultDataScienceTeam } = createHomeTools();
    const model = new OfflineChatModel().bindTools(all);
    const messages: BaseMessage[] = [...question];

    const first = merge(await collect(await model.stream(messages)));
    messages.push(first);
    for (const call of first.tool_calls ?? []) {
      messages.push(await consultDataScienceTeam.invoke({ ...call, type: 'tool_call' }));
    }
    const answerChunks = await collect(await model.stream(messages));
    const answer = merge(answerChunks);

    expect(calls).toEqual([
      {
        tool: 'consult_data_science_team',
        args: { query: question[0].text, hours: 168, specialists: ['energy'], depth: 'standard' },
      },
    ]);
    expect(messages.at(-1)).toBeInstanceOf(ToolMessage);
    expect(answer.tool_calls).toEqual([]);
    expect(answer.text).toBe(
      'Here is what I found:\n\nEnergy report for the last 168 hours: total 182.4 kWh, peak at 18:00 (heat pump).',
    );
    expect(answerChunks.filter((c) => c.text.length > 0).length).toBeGreaterThan(1);
  });

  it('runs inside createAgent, streaming the tool call and then the answer piece by piece', async () => {
    const { calls, consultDataScienceTeam } = createHomeTools();
    const agent = createAgent({
      model: new OfflineChatModel({ agentLabel: 'Architect' }),
      tools: [consultDataScienceTeam],
      systemPrompt: 'You are the Architect of a Home Assistant home.',
    });

    const streamed: Array<{ node: unknown; message: BaseMessage }> = [];
    const stream = await agent.stream(
      { messages: [{ role: 'user', content: 'How much energy did we use this week?' }] },
      { streamMode: 'messages' },
    );
    for await (const [message, metadata] of stream) streamed.push({ node: metadata['langgraph_node'], message });

    expect(calls).toEqual([
      {
        tool: 'consult_data_science_team',
        args: { query: 'How much energy did we use this week?', hours: 168, specialists: ['energy'], depth: 'standard' },
      },
    ]);
    const modelChunks = streamed.filter((s) => AIMessageChunk.isInstance(s.message)).map((s) => s.message as AIMessageChunk);
    const toolCallChunks = modelChunks.filter((c) => (c.tool_call_chunks ?? []).length > 0);
    expect(toolCallChunks.length).toBeGreaterThan(0);
    expect(streamed.some((s) => ToolMessage.isInstance(s.message))).toBe(true);

    const answerTokens = modelChunks.filter((c) => c.text.length > 0);
    expect(answerTokens.length).toBeGreaterThan(1);
    expect(answerTokens.map((c) => c.text).join('')).toBe(
      'Here is what I found:\n\nEnergy report for the last 168 hours: total 182.4 kWh, peak at 18:00 (heat pump).',
    );
  });

  it('follows the agent policy inside createAgent', async () => {
    const { calls, all } = createHomeTools();
    const policy: OfflinePolicy = ({ messages }) =>
      messages.at(-1)?.type === 'human'
        ? { kind: 'tool_calls', calls: [{ name: 'get_entity_state', args: { entity_id: 'sun.sun' } }] }
        : { kind: 'text', text: 'The sun is up.' };
    const agent = createAgent({ model: new OfflineChatModel({ policy }), tools: all });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'Analyze my energy usage' }] });
    expect(calls).toEqual([{ tool: 'get_entity_state', args: { entity_id: 'sun.sun' } }]);
    expect(result.messages.at(-1)?.text).toBe('The sun is up.');
  });

  it('supports withStructuredOutput through a policy that calls the schema tool', async () => {
    const policy: OfflinePolicy = ({ messages }) => ({
      kind: 'tool_calls',
      calls: [{ name: 'route', args: { agent: 'architect', reason: messages.at(-1)?.text ?? '' } }],
    });
    const router = new OfflineChatModel({ policy }).withStructuredOutput(
      { type: 'object', properties: { agent: { type: 'string' }, reason: { type: 'string' } }, required: ['agent'] },
      { name: 'route' },
    );
    expect(await router.invoke('turn on the porch light at sunset')).toEqual({
      agent: 'architect',
      reason: 'turn on the porch light at sunset',
    });
  });
});
