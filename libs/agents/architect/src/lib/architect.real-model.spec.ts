import { loadConfig } from '@aether/config';
import { AgentError, type AgentCallResult, type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '@aether/llm/testing';
import { ArchitectAgent } from './architect.agent';
import { CUT_OFF_NOTE } from './answer/answer-assembler';
import { PREAMBLE_HOLD_CHARS } from './answer/model-rounds';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

/** The team's computed report, as the DS Orchestrator streams it. */
const REPORT = [
  '**Data Science Team Report** (1 specialist(s), 24h window)',
  '',
  '| Sensor | Entity | kWh | Share |',
  '|---|---|---:|---:|',
  '| Grid import (grid import) | sensor.grid_import | 12.345 | n/a |',
].join('\n');

class ReportingTeam implements AgentClient {
  readonly agent = 'ds-orchestrator' as const;
  stream(): AsyncIterable<AgentEvent> {
    return (async function* () {
      yield { type: 'token', agent: 'ds-orchestrator', content: REPORT } satisfies AgentEvent;
    })();
  }
  send(): Promise<AgentCallResult> {
    throw new Error('streamed only');
  }
}

const request = (message: string): AgentRequest => ({ message, history: [], context: { conversationId: 'c1', userId: 'alice' } });

const answerOf = (events: AgentEvent[]) => events.map((e) => (e.type === 'token' ? e.content : '')).join('');

/**
 * The Architect driven by a real `ChatOpenAI` against a loopback OpenAI-compatible provider that
 * answers as real models do (streamed chunks, text before tool calls, figures restated wrongly).
 */
describe('ArchitectAgent with a real model client', () => {
  let server: FakeOpenAiServer | undefined;
  const signal = new AbortController().signal;
  afterEach(() => server?.close());

  async function run(message: string, final: (request: RecordedRequest) => ScriptedReply, first?: ScriptedReply): Promise<AgentEvent[]> {
    server = await startFakeOpenAiServer((r) => (r.body.messages.at(-1)?.role === 'tool' ? final(r) : (first ?? { toolCalls: [{ name: 'consult_data_science_team', args: { query: message } }] })));
    return runWith(server, message);
  }

  async function runWith(provider: FakeOpenAiServer, message: string): Promise<AgentEvent[]> {
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: provider.baseUrl, LLM_MODEL: 'real-model', LLM_RETRY_BACKOFF_MS: '5' }).llm);
    const events: AgentEvent[] = [];
    for await (const event of new ArchitectAgent(models, new ReportingTeam(), new FixtureLibrarianClient(DEMO_FIXTURE)).run(request(message), signal)) events.push(event);
    return events;
  }

  it('shows the computed report verbatim, never a wrongly restated figure or an invented cost, and flags them', async () => {
    const events = await run('How much energy did I use today?', () => ({
      text: 'You used 12.3 kWh from the grid today. That is about 12.4 kWh per day, costing €3.10. Your fridge is fine.',
    }));
    const answer = answerOf(events);
    expect(answer).toContain('You used 12.3 kWh from the grid today. ');
    expect(answer).not.toMatch(/12\.4 kWh|€3\.10|fridge/);
    expect(answer).toContain('gave figures the analysis did not compute ("12.4", "3.10")');
    expect(answer).toContain(REPORT);
  });

  it('keeps a faithful summary in the model’s words and adds the report verbatim when the model did not quote it', async () => {
    const events = await run('How much energy did I use today?', () => ({ text: 'The grid supplied all of it: 12.3 kWh.' }));
    expect(answerOf(events)).toBe(`The grid supplied all of it: 12.3 kWh.\n\n${REPORT}`);
  });

  it('does not add the report again when the model quoted it in full', async () => {
    const events = await run('How much energy did I use today?', () => ({ text: `Here is the report:\n\n${REPORT}` }));
    expect(answerOf(events)).toBe(`Here is the report:\n\n${REPORT}`);
  });

  it("tells the model the home's current date and time, in the home's zone, at the end of its system prompt", async () => {
    server = await startFakeOpenAiServer(() => ({ text: 'Hello.' }));
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'real-model' }).llm);
    const librarian = new FixtureLibrarianClient({ ...DEMO_FIXTURE, summary: { ...DEMO_FIXTURE.summary, time_zone: 'Pacific/Auckland' } });
    for await (const _event of new ArchitectAgent(models, new ReportingTeam(), librarian).run(request('Hi'), signal)) {
      // drain
    }
    const system = server.requests[0].body.messages[0];
    const text = typeof system.content === 'string' ? system.content : (system.content as Array<{ text: string }>).map((part) => part.text).join('');
    const zoned = new Intl.DateTimeFormat('en-GB', { timeZone: 'Pacific/Auckland', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    expect(text).toMatch(new RegExp(`\\n\\nCurrent date and time at the home: \\w+, ${zoned} at \\d{2}:\\d{2} GMT\\+1[23]:00 \\(time zone Pacific/Auckland\\)\\.$`));
  });

  it('keeps text a model writes before its tool call out of the answer', async () => {
    const events = await run(
      'What lights are on?',
      () => ({ text: 'The kitchen light is on.' }),
      { preamble: 'Let me check the lights for you.', toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }] },
    );
    expect(events.some((e) => e.type === 'tool_start' && e.tool === 'list_entities_by_domain')).toBe(true);
    expect(answerOf(events)).toBe('The kitchen light is on.');
  });

  it('withholds a count the catalog tools did not return, and shows what they returned instead', async () => {
    // 64: no date, time or count of the fixture or the prompt's clock can account for it.
    const events = await run('How many lights are on?', () => ({ text: 'There are 64 lights on right now. The kitchen is bright.' }), {
      toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }],
    });
    const answer = answerOf(events);
    expect(answer).not.toMatch(/64 lights|kitchen is bright/);
    expect(answer).toContain('**Note:** the rest of this answer was withheld because it gave figures that none of the Home Assistant data it read contains ("64").');
    expect(answer).toContain(
      [
        'What Home Assistant returned:',
        '',
        '2 light entities with state "on" (states read live from Home Assistant):',
        'light.kitchen — Kitchen Light: on (Kitchen)',
        'light.living_room — Living Room Light: on (Living Room)',
      ].join('\n'),
    );
  });

  it('keeps a count the catalog tools returned', async () => {
    const events = await run('How many lights are on?', () => ({ text: 'Two lights are on: 2 of them, the Kitchen Light and the Living Room Light.' }), {
      toolCalls: [{ name: 'search_entities', args: { query: 'light' } }],
    });
    expect(answerOf(events)).toBe('Two lights are on: 2 of them, the Kitchen Light and the Living Room Light.');
  });

  it('withholds a lock state get_entity_state contradicts, and shows the state as returned', async () => {
    const events = await run('Is the front door locked?', () => ({ text: 'I checked the lock. The Front Door Lock is unlocked. You may want to lock it.' }), {
      toolCalls: [{ name: 'get_entity_state', args: { entity_id: 'lock.front_door' } }],
    });
    const answer = answerOf(events);
    expect(answer).toContain('I checked the lock. ');
    expect(answer).not.toMatch(/is unlocked|want to lock/);
    expect(answer).toContain('it gave states Home Assistant does not report (Front Door Lock: "unlocked" (Home Assistant: locked)). What Home Assistant returned:');
    expect(answer).toContain('lock.front_door — Front Door Lock: locked (Hallway) (live from Home Assistant)');
  });

  it('keeps a true lock state, and advice that uses a state word', async () => {
    const text = 'The Front Door Lock is locked. If you ever find it unlocked, lock.front_door can be locked from the app.';
    const events = await run('Is the front door locked?', () => ({ text }), { toolCalls: [{ name: 'get_entity_state', args: { entity_id: 'lock.front_door' } }] });
    expect(answerOf(events)).toBe(text);
  });

  it('streams a long answer once it is longer than a preamble', async () => {
    const long = `${'The kitchen light is on and the hall light is off. '.repeat(Math.ceil((2 * PREAMBLE_HOLD_CHARS) / 50))}`.trim();
    const events = await run('What lights are on?', () => ({ text: long }), { toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light' } }] });
    expect(answerOf(events)).toBe(long);
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(2);
  });

  it('never ends a turn with an empty answer that looks like success', async () => {
    await expect(run('Hello', () => ({ text: '' }), { text: '' })).rejects.toEqual(
      new AgentError('upstream_error', 'The language model ended its turn without an answer.', 'architect'),
    );
  });

  describe('reply variants of real servers: the answer is never empty, never leaked', () => {
    const LIGHTS = 'What lights are on?';
    const lightsCall = (id = 'call_lights', args = '{"domain": "light", "stateFilter": "on"}') => [
      { tool_calls: [{ index: 0, id, type: 'function', function: { name: 'list_entities_by_domain', arguments: '' } }] },
      ...(args.match(/.{1,4}/gs) ?? []).map((piece) => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
    ];
    const toolRan = (events: AgentEvent[], tool = 'list_entities_by_domain') => events.filter((e) => e.type === 'tool_end' && e.tool === tool).length;
    /** The lights question: a list call first, then `final` answers from its result. */
    const lights = (final: ScriptedReply, first: ScriptedReply = { toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }] }) =>
      run(LIGHTS, () => final, first);
    const thinkingOf = (events: AgentEvent[]) => events.map((e) => (e.type === 'thinking' ? e.content : '')).join('');

    it('split tool-call arguments (a few characters per delta) are put together', async () => {
      const events = await run(LIGHTS, () => ({ text: 'The kitchen light is on.' }), { deltas: lightsCall(), finish: 'tool_calls' });
      expect(toolRan(events)).toBe(1);
      expect(answerOf(events)).toBe('The kitchen light is on.');
    });

    it('parallel tool calls in one reply all run', async () => {
      const events = await run(LIGHTS, () => ({ text: 'The kitchen light is on; no switch is.' }), {
        deltas: [
          { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'list_entities_by_domain', arguments: '{"domain":"light"}' } }] },
          { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'list_entities_by_domain', arguments: '{"domain":"switch"}' } }] },
        ],
        finish: 'tool_calls',
      });
      expect(toolRan(events)).toBe(2);
      expect(answerOf(events)).toBe('The kitchen light is on; no switch is.');
    });

    it('invalid JSON arguments: the model is told the error and asked again', async () => {
      server = await startFakeOpenAiServer((r) => {
        const last = r.body.messages.at(-1);
        if (last?.role !== 'tool') return { deltas: lightsCall('call_bad', '{domain: light}'), finish: 'tool_calls' };
        if (String(last.content).includes('not valid JSON')) return { deltas: lightsCall('call_good'), finish: 'tool_calls' };
        return { text: 'The kitchen light is on.' };
      });
      const events = await runWith(server, LIGHTS);
      expect(toolRan(events)).toBe(1);
      expect(answerOf(events)).toBe('The kitchen light is on.');
      expect(server.requests).toHaveLength(3);
    });

    it('invalid JSON arguments every time: a clear error, not an empty answer', async () => {
      server = await startFakeOpenAiServer(() => ({ deltas: lightsCall('call_bad', 'domain=light'), finish: 'tool_calls' }));
      await expect(runWith(server, LIGHTS)).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/not valid JSON 3 times/) });
    });

    it('finish_reason "length": what came is shown, and says it was cut off', async () => {
      const events = await lights({ deltas: [{ content: 'The kitchen light is on, and the' }], finish: 'length' });
      expect(answerOf(events)).toBe(`The kitchen light is on, and the\n\n${CUT_OFF_NOTE}`);
    });

    it('<think> blocks, split across deltas, are thinking, never content', async () => {
      const events = await lights({
        deltas: [{ content: '<thi' }, { content: 'nk>The user wants the lights' }, { content: ' that are on.</th' }, { content: 'ink>The kitchen' }, { content: ' light is on.' }],
      });
      expect(answerOf(events)).toBe('The kitchen light is on.');
      expect(thinkingOf(events)).toBe('The user wants the lights that are on.');
    });

    it('a refusal (OpenAI sends it in `refusal`, not `content`) is shown as the answer', async () => {
      const events = await lights({ deltas: [{ content: null, refusal: "I'm sorry, " }, { refusal: 'I can’t help with that.' }] });
      expect(answerOf(events)).toBe("I'm sorry, I can’t help with that.");
    });

    it('a reasoning_content field is thinking, never content', async () => {
      const events = await lights({ deltas: [{ reasoning_content: 'Reading the tool result.' }, { content: 'The kitchen light is on.' }] });
      expect(answerOf(events)).toBe('The kitchen light is on.');
      expect(thinkingOf(events)).toBe('Reading the tool result.');
    });

    it.each([
      ['Hermes/Qwen <tool_call>', '<tool_call>\n{"name": "list_entities_by_domain", "arguments": {"domain": "light", "stateFilter": "on"}}\n</tool_call>'],
      ['Mistral [TOOL_CALLS]', '[TOOL_CALLS][{"name": "list_entities_by_domain", "arguments": {"domain": "light", "stateFilter": "on"}}]'],
      ['Llama <|python_tag|>', '<|python_tag|>{"name": "list_entities_by_domain", "parameters": {"domain": "light", "stateFilter": "on"}}'],
    ])('a tool call written as text (%s) is run, and never shown', async (_format, text) => {
      const events = await run(LIGHTS, () => ({ text: 'The kitchen light is on.' }), { deltas: (text.match(/.{1,7}/gs) ?? []).map((content) => ({ content })) });
      expect(toolRan(events)).toBe(1);
      expect(answerOf(events)).toBe('The kitchen light is on.');
    });

    it('a call of a tool that does not exist is told so, and the model answers with the tools it has', async () => {
      server = await startFakeOpenAiServer((r) => {
        const last = r.body.messages.at(-1);
        if (last?.role === 'user') return { toolCalls: [{ name: 'turn_on_lights', args: { area: 'kitchen' } }] };
        if (String(last?.content).includes('turn_on_lights')) return { deltas: lightsCall(), finish: 'tool_calls' };
        return { text: 'The kitchen light is on.' };
      });
      const events = await runWith(server, LIGHTS);
      expect(toolRan(events)).toBe(1);
      expect(answerOf(events)).toBe('The kitchen light is on.');
      expect(String(server.requests[1].body.messages.at(-1)?.content)).toMatch(/turn_on_lights/);
    });

    it('a completion id the server reuses for every round loses no round', async () => {
      let round = 0;
      server = await startFakeOpenAiServer(() => {
        round += 1;
        if (round === 1) return { id: 'chatcmpl-7', deltas: lightsCall('call_1', '{"domain": "light"}'), finish: 'tool_calls' };
        if (round === 2) return { id: 'chatcmpl-7', deltas: lightsCall('call_2', '{"domain": "switch"}'), finish: 'tool_calls' };
        return { id: 'chatcmpl-7', deltas: [{ content: 'The kitchen light is on; no switch is.' }] };
      });
      const events = await runWith(server, LIGHTS);
      expect(toolRan(events)).toBe(2);
      expect(answerOf(events)).toBe('The kitchen light is on; no switch is.');
      // The last request still carried both earlier rounds, each call with its result.
      expect(server.requests.at(-1)!.body.messages.filter((m) => m.role === 'tool')).toHaveLength(2);
    });
  });
});
