import { loadConfig } from '@aether/config';
import type { AgentCallResult, AgentClient, AgentEvent, AgentName, AgentRequest } from '@aether/core';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '@aether/llm/testing';
import { OrchestratorAgent } from './orchestrator.agent';

class AnsweringAgent implements AgentClient {
  readonly requests: AgentRequest[] = [];
  constructor(readonly agent: AgentName) {}
  async *stream(request: AgentRequest): AsyncGenerator<AgentEvent> {
    this.requests.push(request);
    yield { type: 'token', agent: this.agent, content: `${this.agent} answer` };
  }
  send(): Promise<AgentCallResult> {
    throw new Error('the orchestrator must stream, not send');
  }
}

describe('OrchestratorAgent against a provider that validates requests as strict servers do', () => {
  const signal = new AbortController().signal;
  let server: FakeOpenAiServer;
  afterEach(() => server.close());

  it.each(['gpt-4o-mini', 'o4-mini', 'gpt-5-mini', 'deepseek-reasoner'])('%s: the routing request (with a client system message) is accepted and routes', async (model) => {
    server = await startFakeOpenAiServer(() => ({ toolCalls: [{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.9, reason: 'Inventory question.' } }] }), { validate: true });
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'default-model', LLM_TEMPERATURE: '0.2' }).llm);
    const [architect, librarian, designer] = [new AnsweringAgent('architect'), new AnsweringAgent('librarian'), new AnsweringAgent('dashboard-designer')];
    const request: AgentRequest = {
      message: 'What devices do I have in the kitchen?',
      history: [{ role: 'system', content: 'The user is called Alice.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }],
      context: { conversationId: 'conv-1', userId: 'alice', model },
    };
    const events: AgentEvent[] = [];
    for await (const event of new OrchestratorAgent(models, architect, librarian, designer).run(request, signal)) events.push(event);

    expect(server.requests.map((r) => r.rejected)).toEqual([undefined]);
    expect(server.requests[0].body.model).toBe(model);
    expect(events[0]).toEqual({ type: 'routing', agent: 'orchestrator', target: 'librarian', confidence: 0.9, reason: 'Inventory question.' });
    expect(librarian.requests).toHaveLength(1);
  });
});
