import { loadConfig } from '@aether/config';
import { AgentError, type AgentCallResult, type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '@aether/llm/testing';
import { ArchitectAgent } from './architect.agent';
import { PREAMBLE_HOLD_CHARS } from './answer/model-rounds';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

/** The team's computed report, as the DS Orchestrator streams it. */
const REPORT = [
  '**Data Science Team Report** (1 specialist(s), 24h window)',
  '',
  '| Sensor | Entity | kWh | Share |',
  '|---|---|---:|---:|',
  '| Grid import (grid) | sensor.grid_import | 12.345 | 100.0 % |',
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
    const models = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'real-model', LLM_RETRY_BACKOFF_MS: '5' }).llm);
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

  it('keeps text a model writes before its tool call out of the answer', async () => {
    const events = await run(
      'What lights are on?',
      () => ({ text: 'The kitchen light is on.' }),
      { preamble: 'Let me check the lights for you.', toolCalls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }] },
    );
    expect(events.some((e) => e.type === 'tool_start' && e.tool === 'list_entities_by_domain')).toBe(true);
    expect(answerOf(events)).toBe('The kitchen light is on.');
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
});
