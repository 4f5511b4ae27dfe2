import { FixedModelFactory } from '@aether/llm/testing';
import { AgentError, type AgentCallOptions, type AgentCallResult, type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { AIMessage, AIMessageChunk, ChatMessageChunk, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from 'langchain';
import { ArchitectAgent, MAX_HISTORY_MESSAGES } from './architect.agent';
import { answerText } from './answer/model-rounds';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

const librarian = () => new FixtureLibrarianClient(DEMO_FIXTURE);

type Script = (request: AgentRequest, signal: AbortSignal | undefined) => AsyncGenerator<AgentEvent>;

/** The DS Orchestrator as the Architect sees it: an AgentClient, here answering from a script. */
class ScriptedDataScienceTeam implements AgentClient {
  readonly agent = 'ds-orchestrator' as const;
  readonly requests: AgentRequest[] = [];
  constructor(private readonly script: Script) {}
  stream(request: AgentRequest, options?: AgentCallOptions): AsyncIterable<AgentEvent> {
    this.requests.push(request);
    return this.script(request, options?.signal);
  }
  send(): Promise<AgentCallResult> {
    throw new Error('the Architect must stream the DS team, not send');
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const TEAM_REPORT = [
  '**Data Science Team Report** (2 specialist(s), 168h window)',
  '',
  '**Energy Analyst:**',
  'Window: 2026-11-21T12:00:00.000Z → 2026-11-28T12:00:00.000Z (168 h)',
  'Total: 81.234 kWh',
  '',
  '| Sensor | Entity | kWh | Share |',
  '|---|---|---:|---:|',
  '| Grid import (grid import) | sensor.grid_import | 81.234 | n/a |',
  '',
  '**Team Consensus:** Analysis synthesized 3 finding(s) from 1 specialist(s).',
].join('\n');

/** A team that must not be consulted: it fails the test if it is. */
const unusedTeam = () =>
  // eslint-disable-next-line require-yield
  new ScriptedDataScienceTeam(async function* () {
    throw new Error('the data science team should not have been consulted');
  });

const request = (message: string, extra: Partial<AgentRequest> = {}): AgentRequest => ({
  message,
  history: [],
  context: { conversationId: 'conv-1', userId: 'alice', model: 'my-model' },
  ...extra,
});

const offlineModels = () => new ConfiguredChatModelFactory({ agentModels: {} });

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const answer = (events: AgentEvent[]) => events.map((e) => (e.type === 'token' ? e.content : '')).join('');

describe('ArchitectAgent (offline model)', () => {
  const signal = new AbortController().signal;

  it('consults the data science team with the parsed window, forwards its events live and quotes its report verbatim', async () => {
    const nestedSeen = deferred();
    const team = new ScriptedDataScienceTeam(async function* () {
      yield { type: 'status', agent: 'ds-orchestrator', content: 'energy analyst running…' };
      yield { type: 'status', agent: 'ds-analysts', content: 'Energy analyst: reading meters…' };
      // Resolved by the test when the nested event above has reached the Architect's consumer:
      // forwarding is live, not buffered until the tool returns.
      await nestedSeen.promise;
      for (const line of TEAM_REPORT.split(/(?<=\n)/)) yield { type: 'token', agent: 'ds-orchestrator', content: line };
      yield { type: 'result', agent: 'ds-orchestrator', data: { hours: 168 } };
    });

    const events: AgentEvent[] = [];
    for await (const event of new ArchitectAgent(offlineModels(), team, librarian()).run(request('Analyze my energy usage over the last 7 days'), signal)) {
      events.push(event);
      if (event.type === 'status' && event.agent === 'ds-analysts') nestedSeen.resolve();
    }

    expect(team.requests).toEqual([
      {
        message: 'Analyze my energy usage over the last 7 days',
        history: [],
        data: { hours: 168, synthesis: 'programmatic' },
        context: { conversationId: 'conv-1', userId: 'alice', model: 'my-model' },
      },
    ]);
    expect(events.filter((e) => e.type !== 'token')).toEqual([
      { type: 'tool_start', agent: 'architect', tool: 'consult_data_science_team', args: '{"query":"Analyze my energy usage over the last 7 days","hours":168}' },
      { type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'Analyze my energy usage over the last 7 days' },
      { type: 'status', agent: 'ds-orchestrator', content: 'energy analyst running…' },
      { type: 'status', agent: 'ds-analysts', content: 'Energy analyst: reading meters…' },
      { type: 'result', agent: 'ds-orchestrator', data: { hours: 168 } },
      { type: 'tool_end', agent: 'architect', tool: 'consult_data_science_team', result: expect.stringMatching(/^\*\*Data Science Team Report\*\*/) },
    ]);
    // The answer comes after the tool, streamed in pieces, with the report unchanged inside.
    const firstToken = events.findIndex((e) => e.type === 'token');
    expect(firstToken).toBeGreaterThan(events.findIndex((e) => e.type === 'tool_end'));
    // Released a line or a sentence at a time, once its figures are checked.
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(5);
    expect(answer(events)).toContain(TEAM_REPORT);
  });

  it('fails with the AgentError of the data science team instead of letting the model answer around it', async () => {
    // eslint-disable-next-line require-yield
    const team = new ScriptedDataScienceTeam(async function* () {
      throw new AgentError('agent_unavailable', 'ds-orchestrator is not reachable at http://127.0.0.1:8002', 'ds-orchestrator');
    });
    const events: AgentEvent[] = [];
    const run = (async () => {
      for await (const event of new ArchitectAgent(offlineModels(), team, librarian()).run(request('How much energy did I use yesterday?'), signal)) events.push(event);
    })();
    await expect(run).rejects.toEqual(new AgentError('agent_unavailable', 'ds-orchestrator is not reachable at http://127.0.0.1:8002', 'ds-orchestrator'));
    await expect(run).rejects.toBeInstanceOf(AgentError);
    expect(events.some((e) => e.type === 'token')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'tool_end', result: 'Error: ds-orchestrator is not reachable at http://127.0.0.1:8002' });
  });

  it('lets the model see other tool failures and answer with them', async () => {
    // eslint-disable-next-line require-yield
    const team = new ScriptedDataScienceTeam(async function* () {
      throw new TypeError('bad report');
    });
    const events = await collect(new ArchitectAgent(offlineModels(), team, librarian()).run(request('Analyze my energy usage'), signal));
    expect(answer(events)).toBe('I could not get an analysis from the data science team: Error: bad report');
  });

  it('keeps model output of agents called in-process out of its answer', async () => {
    const team = new ScriptedDataScienceTeam(async function* () {
      // An in-process agent below the Architect streaming its own model in the tool's async context.
      for await (const _chunk of await fakeModel().respond(new AIMessage('NESTED MODEL TEXT')).stream('hi')) {
        /* consumed by that agent */
      }
      yield { type: 'token', agent: 'ds-orchestrator', content: 'Total: 1.000 kWh' };
    });
    const events = await collect(new ArchitectAgent(offlineModels(), team, librarian()).run(request('Analyze my energy usage'), signal));
    expect(answer(events)).toContain('Total: 1.000 kWh');
    expect(answer(events)).not.toContain('NESTED MODEL TEXT');
  });

  it('answers other questions without calling the team', async () => {
    const team = new ScriptedDataScienceTeam(async function* () {
      yield { type: 'token', agent: 'ds-orchestrator', content: 'unexpected' };
    });
    const events = await collect(new ArchitectAgent(offlineModels(), team, librarian()).run(request('Hello, who are you?'), signal));
    expect(team.requests).toHaveLength(0);
    expect(answer(events).length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'token')).toBe(true);
  });

  it('reports a cancelled run as cancelled', async () => {
    const started = deferred();
    const team = new ScriptedDataScienceTeam(async function* (_request, callSignal) {
      yield { type: 'status', agent: 'ds-orchestrator', content: 'working' };
      started.resolve();
      await new Promise((_, reject) => callSignal?.addEventListener('abort', () => reject(new AgentError('cancelled', 'The call was cancelled.')), { once: true }));
    });
    const controller = new AbortController();
    const run = collect(new ArchitectAgent(offlineModels(), team, librarian()).run(request('Analyze my energy usage'), controller.signal));
    await started.promise;
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('ArchitectAgent (any chat model)', () => {
  const signal = new AbortController().signal;

  it('passes the requested model and its offline policy, and sends the system prompt, the last 20 turns and the message', async () => {
    const model = fakeModel().respond(new AIMessage('Hi Alice.'));
    const models = new FixedModelFactory(model);
    const history = Array.from({ length: 30 }, (_, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content: `turn ${i}` }));
    const events = await collect(new ArchitectAgent(models, unusedTeam(), librarian()).run(request('Hello again', { history }), signal));

    expect(answer(events)).toBe('Hi Alice.');
    expect(models.requests).toEqual([{ agent: 'architect', options: { requestedModel: 'my-model', offlinePolicy: expect.any(Function) } }]);
    const sent = model.calls[0].messages;
    expect(sent).toHaveLength(1 + MAX_HISTORY_MESSAGES + 1);
    expect(sent[0].type).toBe('system');
    expect(sent[1].text).toBe('turn 10');
    expect(sent.at(-1)?.text).toBe('Hello again');
  });

  it('turns a failing model call into an upstream_error', async () => {
    const model = fakeModel().alwaysThrow(new Error('503 Service Unavailable'));
    const run = collect(new ArchitectAgent(new FixedModelFactory(model), unusedTeam(), librarian()).run(request('Hi'), signal));
    await expect(run).rejects.toMatchObject({ code: 'upstream_error', message: 'The language model call failed: 503 Service Unavailable' });
  });
});

describe('answerText', () => {
  it('keeps assistant text, also from servers that omit the role in streamed deltas', () => {
    expect(answerText(new AIMessageChunk('Hello'))).toBe('Hello');
    expect(answerText(new ChatMessageChunk({ content: 'Hi', role: undefined as unknown as string }))).toBe('Hi');
    expect(answerText(new ChatMessageChunk({ content: 'Hi', role: 'assistant' }))).toBe('Hi');
  });

  it('drops tool results, user text and text that comes with tool calls', () => {
    expect(answerText(new ToolMessage({ content: 'raw', tool_call_id: 'c' }))).toBe('');
    expect(answerText(new ChatMessageChunk({ content: 'x', role: 'user' }))).toBe('');
    expect(answerText(new AIMessageChunk({ content: 'thinking', tool_call_chunks: [{ name: 't', args: '', id: 'c', index: 0 }] }))).toBe('');
  });
});

describe('ArchitectAgent catalog questions (offline model)', () => {
  const signal = new AbortController().signal;

  it('answers "what lights are on?" from a live list query to the Librarian, with the exact names and count', async () => {
    const catalog = librarian();
    const events = await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('What lights are on?'), signal));

    expect(catalog.queries).toEqual([{ op: 'catalog_summary' }, { op: 'list_entities_by_domain', domain: 'light', stateFilter: 'on', limit: 50 }]);
    // Every catalog call carries the caller's context, and no history (it is a query, not a chat).
    expect(catalog.requests.map((r) => [r.context, r.history])).toEqual([
      [request('').context, []],
      [request('').context, []],
    ]);
    expect(events.filter((e) => e.type !== 'token')).toEqual([
      { type: 'tool_start', agent: 'architect', tool: 'list_entities_by_domain', args: '{"domain":"light","stateFilter":"on"}' },
      {
        type: 'tool_end',
        agent: 'architect',
        tool: 'list_entities_by_domain',
        result: [
          '2 light entities with state "on" (states read live from Home Assistant):',
          'light.kitchen — Kitchen Light: on (Kitchen)',
          'light.living_room — Living Room Light: on (Living Room)',
        ].join('\n'),
      },
    ]);
    const text = answer(events);
    expect(text).toContain('**2 lights are on** right now');
    expect(text).toContain('Kitchen Light (`light.kitchen`, Kitchen)');
    expect(text).toContain('Living Room Light (`light.living_room`, Living Room)');
    expect(text).not.toContain('Bedroom Light');
  });

  it('answers "is the front door locked?" by searching the catalog, then reading the lock\'s live state', async () => {
    const catalog = librarian();
    const events = await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('Is the front door locked?'), signal));
    expect(catalog.queries.slice(1)).toEqual([
      { op: 'search_entities', query: 'front door', limit: 10 },
      { op: 'get_entity_state', entityId: 'lock.front_door' },
    ]);
    expect(events.filter((e) => e.type === 'tool_start').map((e) => e.type === 'tool_start' && e.tool)).toEqual(['search_entities', 'get_entity_state']);
    expect(answer(events)).toContain('**Front Door Lock** (`lock.front_door`, Hallway) is **locked** right now.');
  });

  it('reads a temperature with its unit', async () => {
    const events = await collect(new ArchitectAgent(offlineModels(), unusedTeam(), librarian()).run(request("What's the temperature in the bedroom?"), signal));
    expect(answer(events)).toContain('**Bedroom Temperature** (`sensor.bedroom_temperature`, Bedroom) is **19.5 °C** right now.');
  });

  it('lists automations and shows one automation\'s configuration found by its name', async () => {
    const catalog = librarian();
    const listed = answer(await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('List my automations'), signal)));
    expect(listed).toContain('You have **2 automations**');
    expect(listed).toContain('**Morning lights** (`automation.morning_lights`) — on, last triggered 2026-11-29T06:30:00.000Z');

    const shown = answer(await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('Show the config of automation "Morning lights"'), signal)));
    expect(catalog.queries.slice(-2)).toEqual([{ op: 'list_automations' }, { op: 'get_automation_config', automation: 'automation.morning_lights' }]);
    expect(shown).toContain('"at": "06:30:00"');
  });

  it('explains a blueprint-based automation by its blueprint and inputs, not as an empty config', async () => {
    const catalog = new FixtureLibrarianClient({
      ...DEMO_FIXTURE,
      automations: [
        ...(DEMO_FIXTURE.automations ?? []),
        {
          entity_id: 'automation.tell_alex_when_sam_leaves_home',
          id: '1731488301562',
          alias: 'Tell Alex when Sam leaves home',
          state: 'on',
          mode: 'single',
          trigger_types: [],
          last_triggered: '2026-11-27T08:02:00.000Z',
          blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: { person_entity: 'person.sam', zone_entity: 'zone.home' } },
          config: { id: '1731488301562', alias: 'Tell Alex when Sam leaves home', description: '', use_blueprint: { path: 'homeassistant/notify_leaving_zone.yaml', input: { person_entity: 'person.sam', zone_entity: 'zone.home' } } },
        },
      ],
    });
    const shown = answer(await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('Explain the automation "Tell Alex when Sam leaves home"'), signal)));
    expect(catalog.queries.slice(-2)).toEqual([{ op: 'list_automations' }, { op: 'get_automation_config', automation: 'automation.tell_alex_when_sam_leaves_home' }]);
    expect(shown).toContain('It is made from the blueprint `homeassistant/notify_leaving_zone.yaml`');
    expect(shown).toContain('- person_entity: `person.sam`');
    expect(shown).toContain('- zone_entity: `zone.home`');
  });

  it('lets the model read a Librarian failure as a tool error and say so, instead of failing the run', async () => {
    const catalog = librarian();
    catalog.fail.list_entities_by_domain = new AgentError('upstream_error', 'Home Assistant is not reachable', 'librarian');
    const events = await collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('What lights are on?'), signal));
    expect(events.find((e) => e.type === 'tool_end')).toMatchObject({ result: 'Error: The Librarian could not answer (upstream_error): Home Assistant is not reachable' });
    expect(answer(events)).toBe("I could not read that from your home's catalog: The Librarian could not answer (upstream_error): Home Assistant is not reachable");
  });

  it('fails a catalog call that is cancelled as cancelled', async () => {
    const catalog = librarian();
    catalog.fail.get_entity_state = new AgentError('cancelled', 'The call was cancelled.', 'librarian');
    await expect(collect(new ArchitectAgent(offlineModels(), unusedTeam(), catalog).run(request('Is the front door locked?'), signal))).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('answers without the home summary when the Librarian cannot give it, and says the context is degraded', async () => {
    const catalog = librarian();
    catalog.fail.catalog_summary = new AgentError('agent_unavailable', 'librarian is not reachable at http://127.0.0.1:8005', 'librarian');
    const model = fakeModel().respond(new AIMessage('Hello.'));
    const events = await collect(new ArchitectAgent(new FixedModelFactory(model), unusedTeam(), catalog).run(request('Hi'), signal));
    expect(events[0]).toEqual({
      type: 'error',
      agent: 'architect',
      code: 'upstream_error',
      recoverable: true,
      content:
        'Home context degraded: the catalog summary is unavailable (The Librarian could not answer (agent_unavailable): librarian is not reachable at http://127.0.0.1:8005); answering without it.',
    });
    expect(answer(events)).toBe('Hello.');
    expect(model.calls[0].messages[0].text).not.toContain('The home at a glance');
  });

  it('puts the compact home summary into the system prompt, fetched once per TTL', async () => {
    const catalog = librarian();
    const model = fakeModel().respond(new AIMessage('One.')).respond(new AIMessage('Two.'));
    const agent = new ArchitectAgent(new FixedModelFactory(model), unusedTeam(), catalog);
    await collect(agent.run(request('Hi'), signal));
    await collect(agent.run(request('Hi again'), signal));
    const prompt = model.calls[0].messages[0].text;
    expect(prompt).toContain('The home at a glance');
    expect(prompt).toContain('- Counts: entities 7, devices 1, automations 2, scripts 0, scenes 0.');
    expect(prompt).toContain('- Entities per domain: light 3, sensor 2, binary_sensor 1, lock 1.');
    expect(prompt).toContain('- Areas (4): Kitchen, Living Room, Bedroom, Hallway.');
    expect(prompt).not.toContain('light.kitchen');
    expect(catalog.queries.filter((q) => q.op === 'catalog_summary')).toHaveLength(1);
  });

  it('answers a period-only follow-up with the earlier analysis question for the new window', async () => {
    const team = new ScriptedDataScienceTeam(async function* () {
      yield { type: 'token', agent: 'ds-orchestrator', content: 'Total: 9.000 kWh' };
    });
    const history = [
      { role: 'user' as const, content: 'Analyze my energy usage over the last 7 days' },
      { role: 'assistant' as const, content: 'Total: 81.234 kWh over 168 h.' },
    ];
    const events = await collect(new ArchitectAgent(offlineModels(), team, librarian()).run(request('And yesterday?', { history }), signal));
    expect(team.requests.map((r) => [r.message, r.data])).toEqual([['Analyze my energy usage — yesterday', { period: 'yesterday', synthesis: 'programmatic' }]]);
    expect(answer(events)).toContain('Total: 9.000 kWh');
  });
});
