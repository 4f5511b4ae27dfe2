import { loadConfig } from '@aether/config';
import { FixedModelFactory, providerError, startFakeOpenAiServer, type FakeOpenAiServer, type ScriptedReply } from '@aether/llm/testing';
import { AgentError, CATALOG_REQUEST_KEY, capabilityMenu, type AgentCallOptions, type AgentCallResult, type AgentClient, type AgentEvent, type AgentName, type AgentRequest } from '@aether/core';
import type { ChatModelFactory } from '@aether/llm';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from 'langchain';
import { OrchestratorAgent, type RoutingClients } from './orchestrator.agent';

type Script = (request: AgentRequest) => AsyncGenerator<AgentEvent>;

class ScriptedAgent implements AgentClient {
  readonly requests: AgentRequest[] = [];
  readonly signals: Array<AbortSignal | undefined> = [];
  constructor(
    readonly agent: AgentName,
    private readonly script: Script = async function* () {
      yield { type: 'token', agent, content: `${agent} answer` };
    },
  ) {}
  stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    this.requests.push(request);
    this.signals.push(options?.signal);
    return this.script(request);
  }
  /** Only the home's zone is asked with `send` (see the clock-line tests); the routed request is streamed. */
  send(_request: AgentRequest): Promise<AgentCallResult> {
    return Promise.reject(new Error('the orchestrator streams the routed request'));
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function clients(overrides: Partial<Record<keyof RoutingClients, ScriptedAgent>> = {}) {
  return {
    architect: overrides.architect ?? new ScriptedAgent('architect'),
    librarian: overrides.librarian ?? new ScriptedAgent('librarian'),
    'dashboard-designer': overrides['dashboard-designer'] ?? new ScriptedAgent('dashboard-designer'),
  };
}

function orchestrator(models: ChatModelFactory, targets: RoutingClients): OrchestratorAgent {
  return new OrchestratorAgent(models, targets.architect, targets.librarian, targets['dashboard-designer']);
}

const request = (message: string): AgentRequest => ({
  message,
  history: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }],
  context: { conversationId: 'conv-1', userId: 'alice', model: 'my-model' },
});

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('OrchestratorAgent', () => {
  const signal = new AbortController().signal;
  const offline = () => new ConfiguredChatModelFactory({ agentModels: {} });

  it.each([
    ['Analyze my energy usage', 'architect'],
    ['What devices do I have in the kitchen?', 'librarian'],
    ['Make me a dashboard', 'dashboard-designer'],
  ] as const)('routes "%s" to %s and hands it the request unchanged', async (message, target) => {
    const targets = clients();
    const events = await collect(orchestrator(offline(), targets).run(request(message), signal));

    expect(events[0]).toMatchObject({ type: 'routing', agent: 'orchestrator', target, confidence: expect.any(Number), reason: expect.stringContaining('Keyword evidence') });
    expect(events[1]).toEqual({ type: 'delegation', agent: 'orchestrator', target, content: message });
    expect(events.slice(2)).toEqual([{ type: 'token', agent: target, content: `${target} answer` }]);
    expect(targets[target].requests).toEqual([request(message)]);
    for (const other of Object.values(targets).filter((c) => c.agent !== target)) expect(other.requests).toHaveLength(0);
  });

  it("streams the target's events through unchanged as they arrive", async () => {
    const firstTokenSeen = deferred();
    const nested: AgentEvent[] = [
      { type: 'tool_start', agent: 'architect', tool: 'consult_data_science_team', args: '{"query":"q"}' },
      { type: 'status', agent: 'ds-analysts', content: 'Energy analyst: reading meters…' },
      { type: 'token', agent: 'architect', content: 'Your ' },
    ];
    const architect = new ScriptedAgent('architect', async function* () {
      yield* nested;
      // Resolved by the consumer once it has the first token: nothing is buffered.
      await firstTokenSeen.promise;
      yield { type: 'token', agent: 'architect', content: 'total is 11.500 kWh.' };
    });
    const events: AgentEvent[] = [];
    for await (const event of orchestrator(offline(), clients({ architect })).run(request('Analyze my energy usage'), signal)) {
      events.push(event);
      if (event.type === 'token') firstTokenSeen.resolve();
    }
    expect(events.slice(2)).toEqual([...nested, { type: 'token', agent: 'architect', content: 'total is 11.500 kWh.' }]);
    expect(architect.signals[0]).toBe(signal);
  });

  it("fails with the target's AgentError", async () => {
    // eslint-disable-next-line require-yield
    const librarian = new ScriptedAgent('librarian', async function* () {
      throw new AgentError('agent_unavailable', 'The Librarian is unreachable.', 'librarian');
    });
    const run = collect(orchestrator(offline(), clients({ librarian })).run(request('Discover my home'), signal));
    await expect(run).rejects.toEqual(new AgentError('agent_unavailable', 'The Librarian is unreachable.', 'librarian'));
  });

  it('answers a request for a capability not built yet honestly, with what Aether can do, instead of failing', async () => {
    // eslint-disable-next-line require-yield
    const designer = new ScriptedAgent('dashboard-designer', async function* () {
      throw new AgentError('not_implemented', 'The Dashboard Designer is not available yet in this version of Aether.', 'dashboard-designer');
    });
    const events = await collect(orchestrator(offline(), clients({ 'dashboard-designer': designer })).run(request('Make me a dashboard for the living room'), signal));
    expect(events.map((e) => e.type)).toEqual(['routing', 'delegation', 'token']);
    const answer = events[2] as Extract<AgentEvent, { type: 'token' }>;
    expect(answer.agent).toBe('orchestrator');
    expect(answer.content).toContain('The Dashboard Designer is not available yet');
    expect(answer.content).toContain(capabilityMenu());
  });

  it('keeps a not_implemented that comes after part of the answer an error: a half answer is not completed with a menu', async () => {
    const designer = new ScriptedAgent('dashboard-designer', async function* () {
      yield { type: 'token', agent: 'dashboard-designer', content: 'Here is ' };
      throw new AgentError('not_implemented', 'Cards of that kind are not available yet.', 'dashboard-designer');
    });
    const run = collect(orchestrator(offline(), clients({ 'dashboard-designer': designer })).run(request('Make me a dashboard for the living room'), signal));
    await expect(run).rejects.toMatchObject({ code: 'not_implemented' });
  });

  it('classifies with one tool call of a real chat model, passing the requested model', async () => {
    const model = fakeModel().respondWithTools([{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.92, reason: 'Inventory question.' } }]);
    const models = new FixedModelFactory(model);
    const events = await collect(orchestrator(models, clients()).run(request('Where are my things?'), signal));
    expect(events[0]).toEqual({ type: 'routing', agent: 'orchestrator', target: 'librarian', confidence: 0.92, reason: 'Inventory question.' });
    expect(models.requests[0]).toMatchObject({ agent: 'orchestrator', options: { requestedModel: 'my-model' } });
    expect(model.calls[0].messages.map((m) => m.text)).toEqual([expect.stringContaining('route_to_agent'), 'Hi', 'Hello!', 'Where are my things?']);
  });

  it("ends the routing prompt with the date and time in the home's zone, asking the Librarian for it once per process", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.9, reason: 'Inventory.' } }])
      .respondWithTools([{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.9, reason: 'Inventory.' } }]);
    const librarian = new ScriptedAgent('librarian');
    const summaries: AgentRequest[] = [];
    librarian.send = async (summaryRequest: AgentRequest): Promise<AgentCallResult> => {
      summaries.push(summaryRequest);
      const summary = { entity_count: 0, domains: {}, areas: [], floors: [], device_count: 0, automation_count: 0, script_count: 0, scene_count: 0, last_discovery_at: null, time_zone: 'Pacific/Auckland' };
      return { text: '', data: { [CATALOG_REQUEST_KEY]: { op: 'catalog_summary', summary } }, events: [], taskId: 't1' };
    };
    const agent = orchestrator(new FixedModelFactory(model), clients({ librarian }));
    await collect(agent.run(request('Where are my things?'), signal));
    await collect(agent.run(request('And in the attic?'), signal));

    const prompts = model.calls.map((call) => call.messages[0].text);
    for (const prompt of prompts) {
      expect(prompt).toContain('route_to_agent');
      expect(prompt.split('\n').at(-1)).toMatch(/^Current date and time at the home: \w+day, \d{1,2} \w+ \d{4} at \d\d:\d\d GMT\+1[23]:00 \(time zone Pacific\/Auckland\)\.$/);
    }
    expect(prompts).toHaveLength(2);
    expect(summaries.map((r) => r.data)).toEqual([{ [CATALOG_REQUEST_KEY]: { op: 'catalog_summary' } }]);
  });

  it('routes without waiting longer when the Librarian cannot give the zone, and the clock line says the zone is UTC', async () => {
    const model = fakeModel().respondWithTools([{ name: 'route_to_agent', args: { agent: 'architect', confidence: 0.9, reason: 'State.' } }]);
    const librarian = new ScriptedAgent('librarian');
    librarian.send = () => Promise.reject(new AgentError('agent_unavailable', 'The Librarian is down.', 'librarian'));
    const events = await collect(orchestrator(new FixedModelFactory(model), clients({ librarian })).run(request('Is the door locked?'), signal));
    expect(events[0]).toMatchObject({ type: 'routing', target: 'architect' });
    expect(model.calls[0].messages[0].text).toContain('(time zone UTC; the home did not give its own).');
  });

  it.each([
    ['answers without the tool', new AIMessage('I think the librarian.'), /^Keyword fallback \(the model answered without calling route_to_agent\): Keyword evidence/],
    [
      'chooses an agent that cannot be routed to',
      new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'route_to_agent', args: { agent: 'knowledge', confidence: 0.9, reason: 'Trivia.' } }] }),
      /^Keyword fallback \(the model chose "knowledge", which is not a routable agent\)/,
    ],
  ])('lets the keyword classifier decide, and says so, when the model %s', async (_case, response, reason) => {
    const targets = clients();
    const events = await collect(orchestrator(new FixedModelFactory(fakeModel().respond(response)), targets).run(request('List my sensors'), signal));
    expect(events[0]).toMatchObject({ type: 'routing', target: 'librarian', reason: expect.stringMatching(reason) });
    expect(targets.librarian.requests).toHaveLength(1);
  });

  it('lets the keyword classifier decide when classification fails, naming the error', async () => {
    const model = fakeModel().alwaysThrow(new Error('connect ECONNREFUSED 127.0.0.1:11434'));
    const events = await collect(orchestrator(new FixedModelFactory(model), clients()).run(request('Analyze my energy usage'), signal));
    expect(events[0]).toMatchObject({
      type: 'routing',
      agent: 'orchestrator',
      target: 'architect',
      reason: expect.stringMatching(/^Keyword fallback \(classification unavailable: connect ECONNREFUSED 127\.0\.0\.1:11434\): Keyword evidence: "energy"/),
    });
    expect(events[0]).not.toMatchObject({ confidence: 0 });
  });

  it.each(['Librarian', ' librarian ', 'the librarian agent', 'LIBRARIAN'])('understands the agent name %j', async (name) => {
    const model = fakeModel().respondWithTools([{ name: 'route_to_agent', args: { agent: name, confidence: 0.8, reason: 'Inventory.' } }]);
    const events = await collect(orchestrator(new FixedModelFactory(model), clients()).run(request('Where are my things?'), signal));
    expect(events[0]).toEqual({ type: 'routing', agent: 'orchestrator', target: 'librarian', confidence: 0.8, reason: 'Inventory.' });
  });

  describe('against an OpenAI-compatible provider (scriptable loopback fake)', () => {
    let server: FakeOpenAiServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });
    const models = (baseUrl: string, env: Record<string, string> = {}) =>
      new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: baseUrl, LLM_MODEL: 'routing-model', LLM_RETRY_BACKOFF_MS: '5', ...env }).llm);
    const kitchen = 'What devices do I have in the kitchen?';

    it.each<[string, ScriptedReply]>([
      ['in plain text', { text: 'That is a question for the librarian.' }],
      ['with JSON in the content', { text: '{"agent": "librarian", "confidence": 0.9, "reason": "inventory"}' }],
      ['with "Librarian" capitalised', { toolCalls: [{ name: 'route_to_agent', args: { agent: 'Librarian', confidence: 0.9, reason: 'Inventory question.' } }] }],
      ['with an error', providerError(400, 'Unsupported request', { type: 'invalid_request_error' })],
    ])('a model answering %s still sends "What devices do I have in the kitchen?" to the Librarian', async (_variant, reply) => {
      server = await startFakeOpenAiServer(() => reply);
      const targets = clients();
      const events = await collect(orchestrator(models(server.baseUrl), targets).run(request(kitchen), signal));
      expect(events[0]).toMatchObject({ type: 'routing', target: 'librarian' });
      if (!('toolCalls' in reply)) expect(events[0]).toMatchObject({ reason: expect.stringMatching(/^Keyword fallback/) });
      expect(targets.librarian.requests).toEqual([request(kitchen)]);
      expect(targets.architect.requests).toHaveLength(0);
    });

    it('forces route_to_agent with tool_choice, and asks again without it when the server rejects the parameter', async () => {
      server = await startFakeOpenAiServer((r) =>
        r.body.tool_choice !== undefined
          ? providerError(400, "tool_choice must be 'auto'", { type: 'invalid_request_error' })
          : { toolCalls: [{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.9, reason: 'Inventory question.' } }] },
      );
      const events = await collect(orchestrator(models(server.baseUrl), clients()).run(request(kitchen), signal));
      expect(events[0]).toEqual({ type: 'routing', agent: 'orchestrator', target: 'librarian', confidence: 0.9, reason: 'Inventory question.' });
      expect(server.requests.map((r) => r.body.tool_choice)).toEqual([{ type: 'function', function: { name: 'route_to_agent' } }, undefined]);
    });

    it('sends no tool_choice with LLM_FORCE_TOOL_CHOICE=false', async () => {
      server = await startFakeOpenAiServer(() => ({ toolCalls: [{ name: 'route_to_agent', args: { agent: 'librarian', confidence: 0.9, reason: 'Inventory.' } }] }));
      await collect(orchestrator(models(server.baseUrl, { LLM_FORCE_TOOL_CHOICE: 'false' }), clients()).run(request(kitchen), signal));
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].body.tool_choice).toBeUndefined();
    });
  });

  it('routes state questions to the Architect and inventory questions to the Librarian', async () => {
    for (const [message, target] of [
      ['What lights are on?', 'architect'],
      ['Is the front door locked?', 'architect'],
      ['List my sensors', 'librarian'],
    ] as const) {
      const targets = clients();
      const events = await collect(orchestrator(offline(), targets).run(request(message), signal));
      expect(events[0]).toMatchObject({ type: 'routing', target });
      expect(targets[target].requests).toEqual([request(message)]);
    }
  });

  it('sends a period-only follow-up where the conversation was, with the whole history', async () => {
    const targets = clients();
    const followUp: AgentRequest = {
      message: 'and yesterday?',
      history: [
        { role: 'user', content: 'Analyze my energy usage over the last 7 days' },
        { role: 'assistant', content: 'Total: 81.234 kWh over 168 h.' },
      ],
      context: { conversationId: 'conv-1', userId: 'alice' },
    };
    const events = await collect(orchestrator(offline(), targets).run(followUp, signal));
    expect(events[0]).toMatchObject({ type: 'routing', target: 'architect', reason: expect.stringMatching(/^Follow-up naming only a period/) });
    expect(targets.architect.requests).toEqual([followUp]);
  });
});
