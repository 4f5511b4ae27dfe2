import { loadConfig } from '@aether/config';
import type { AgentCallResult, AgentClient, AgentEvent, AgentRequest } from '@aether/core';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '@aether/llm/testing';
import { ArchitectAgent } from './architect.agent';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

/** A team that must not be consulted: it fails the test if it is. */
const unusedTeam: AgentClient = {
  agent: 'ds-orchestrator',
  // eslint-disable-next-line require-yield
  stream: async function* (): AsyncGenerator<AgentEvent> {
    throw new Error('the data science team should not have been consulted');
  },
  send(): Promise<AgentCallResult> {
    throw new Error('the data science team should not have been consulted');
  },
};

/** A catalog tool call first, then the answer once its result is in the history. */
const toolRound = (request: RecordedRequest): ScriptedReply =>
  request.body.messages.some((message) => message.role === 'tool')
    ? { text: 'The kitchen light is on.' }
    : { toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }] };

describe('ArchitectAgent against a provider that validates requests as strict servers do', () => {
  const signal = new AbortController().signal;
  let server: FakeOpenAiServer;
  afterEach(() => server.close());

  it.each(['gpt-4o-mini', 'o3-mini', 'gpt-5', 'deepseek-reasoner'])('%s: every request of a tool loop with a client system message is accepted', async (model) => {
    server = await startFakeOpenAiServer(toolRound, { validate: true });
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'default-model', LLM_TEMPERATURE: '0.2' }).llm);
    const request: AgentRequest = {
      message: 'What lights are on?',
      history: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
      ],
      context: { conversationId: 'conv-1', userId: 'alice', model },
    };
    const events: AgentEvent[] = [];
    for await (const event of new ArchitectAgent(models, unusedTeam, new FixtureLibrarianClient(DEMO_FIXTURE)).run(request, signal)) events.push(event);

    expect(server.requests.map((r) => r.rejected)).toEqual([undefined, undefined]);
    expect(server.requests.map((r) => r.body.model)).toEqual([model, model]);
    // The tool round happened, and the client's system turn reached the model in the one system message.
    expect(server.requests[1].body.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(server.requests[0].body.messages[0].content).toEqual(expect.stringContaining('Answer in one sentence.'));
    expect(events.map((e) => (e.type === 'token' ? e.content : '')).join('')).toContain('The kitchen light is on.');
  });

  it('answers through a provider that never sends the answer\'s role (no role on any streamed delta)', async () => {
    server = await startFakeOpenAiServer(toolRound, { omitRole: true });
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'default-model' }).llm);
    const request: AgentRequest = { message: 'What lights are on?', history: [], context: { conversationId: 'conv-2', userId: 'alice' } };
    const events: AgentEvent[] = [];
    for await (const event of new ArchitectAgent(models, unusedTeam, new FixtureLibrarianClient(DEMO_FIXTURE)).run(request, signal)) events.push(event);

    // The tool round happened (the role-less tool call was read as the model's), then the answer.
    expect(server.requests[1].body.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.map((e) => (e.type === 'token' ? e.content : '')).join('')).toContain('The kitchen light is on.');
  });
});
