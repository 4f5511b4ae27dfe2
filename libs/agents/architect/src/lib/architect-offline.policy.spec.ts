import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { architectOfflinePolicy } from './architect-offline.policy';
import { ANALYSIS_WINDOW_HOURS } from '@aether/core';

const decide = (...messages: Array<HumanMessage | AIMessage | ToolMessage | SystemMessage>) => architectOfflinePolicy({ messages, tools: [] });

describe('architectOfflinePolicy', () => {
  it('sends analysis questions to the data science team with the window they name (at most a year)', () => {
    expect(decide(new SystemMessage('sys'), new HumanMessage('Analyze my energy usage over the last 7 days'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'Analyze my energy usage over the last 7 days', hours: 168 } }],
    });
    expect(decide(new HumanMessage('Analyze my energy usage for the last 90 days'))).toMatchObject({ calls: [{ args: { hours: 2160 } }] });
    expect(decide(new HumanMessage('How much electricity did we use in the last 3 years?'))).toMatchObject({ calls: [{ args: { hours: ANALYSIS_WINDOW_HOURS.max } }] });
    // A calendar period goes as such, for the team to resolve in the home's time zone.
    expect(decide(new HumanMessage('How much energy did I use yesterday?'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'How much energy did I use yesterday?', period: 'yesterday' } }],
    });
    expect(decide(new HumanMessage('What is my power consumption?'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'What is my power consumption?' } }],
    });
  });

  it.each([
    'What are my routines?',
    'What could I automate?',
    'Which lights do I switch on by hand?',
    'Why is my garage sensor unavailable?',
    'Why is the porch light not working?',
    'Which integrations are failing?',
    'Which batteries need replacing?',
    'Does the heat pump run more on cold days?',
    'Do we use less on warm days?',
  ])(
    'sends the behaviour, diagnostic or custom-analysis question "%s" to the data science team, not to the catalog',
    (question) => {
      expect(decide(new HumanMessage(question))).toEqual({ kind: 'tool_calls', calls: [{ name: 'consult_data_science_team', args: { query: question } }] });
    },
  );

  it('asks the team to work together, in depth or quickly when the question says so', () => {
    expect(decide(new HumanMessage("Analyze my home's energy, habits and faults over the last 7 days together, in depth"))).toMatchObject({
      calls: [{ name: 'consult_data_science_team', args: { hours: 168, strategy: 'teamwork', depth: 'deep' } }],
    });
    expect(decide(new HumanMessage('Quick energy analysis for yesterday as a team'))).toMatchObject({ calls: [{ args: { period: 'yesterday', strategy: 'teamwork', depth: 'quick' } }] });
    const plain = decide(new HumanMessage('Analyze my energy usage over the last 7 days')) as { calls: Array<{ args: Record<string, unknown> }> };
    expect(plain.calls[0].args).not.toHaveProperty('strategy');
    expect(plain.calls[0].args).not.toHaveProperty('depth');
  });

  it("answers with the team's report verbatim once it is in", () => {
    const report = '**Data Science Team Report** (1 specialist(s), 24h window)\n\nTotal: 11.500 kWh\n| Sensor | Entity | kWh | Share |';
    const decision = decide(
      new HumanMessage('Analyze my energy usage'),
      new AIMessage({ content: '', tool_calls: [{ id: 'call_1', name: 'consult_data_science_team', args: { query: 'q' } }] }),
      new ToolMessage({ content: report, tool_call_id: 'call_1', name: 'consult_data_science_team' }),
    );
    expect(decision?.kind).toBe('text');
    expect(decision?.kind === 'text' && decision.text).toContain(report);
  });

  it('leaves other questions, and earlier turns, to the generic rules', () => {
    expect(decide(new HumanMessage('Hello!'))).toBeUndefined();
    // A report from an earlier turn is not an answer to a new question.
    expect(
      decide(
        new HumanMessage('Analyze my energy usage'),
        new ToolMessage({ content: 'old report', tool_call_id: 'call_1', name: 'consult_data_science_team' }),
        new AIMessage('…'),
        new HumanMessage('Thanks, bye'),
      ),
    ).toBeUndefined();
  });

  it('sends a period-only follow-up to the team with the earlier analysis question and the new window', () => {
    const earlier = [new HumanMessage('Analyze my energy usage over the last 7 days'), new AIMessage('Total: 81.234 kWh')];
    expect(decide(new SystemMessage('sys'), ...earlier, new HumanMessage('and yesterday?'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'Analyze my energy usage — yesterday', period: 'yesterday' } }],
    });
    expect(decide(...earlier, new HumanMessage('What about last week?'))).toEqual({ kind: 'tool_calls', calls: [{ name: 'consult_data_science_team', args: { query: 'Analyze my energy usage — last week', period: 'last_week' } }] });
    // Through earlier follow-ups back to the question they continue.
    expect(decide(...earlier, new HumanMessage('and yesterday?'), new AIMessage('Total: 9 kWh'), new HumanMessage('and the last 3 days?'))).toMatchObject({
      calls: [{ args: { query: 'Analyze my energy usage — the last 3 days', hours: 72 } }],
    });
  });

  it('does not treat a period as a follow-up without an earlier analysis question', () => {
    expect(decide(new HumanMessage('and yesterday?'))).toBeUndefined();
    expect(decide(new HumanMessage('What lights are on?'), new AIMessage('2 lights'), new HumanMessage('and yesterday?'))).toBeUndefined();
  });

  it('asks the catalog about current states, then answers from the structured result', () => {
    const question = new HumanMessage('What lights are on?');
    expect(decide(question)).toEqual({ kind: 'tool_calls', calls: [{ name: 'list_entities_by_domain', args: { domain: 'light', stateFilter: 'on' } }] });
    const result = new ToolMessage({
      content: '1 light entity with state "on" …',
      tool_call_id: 'call_1',
      name: 'list_entities_by_domain',
      artifact: {
        op: 'list_entities_by_domain',
        entities: [{ entity_id: 'light.kitchen', name: 'Kitchen Light', domain: 'light', state: 'on', area: 'Kitchen', device: null }],
        total: 1,
        live: true,
      },
    });
    expect(decide(question, callOf('list_entities_by_domain'), result)).toEqual({
      kind: 'text',
      text: '**1 light is on** right now:\n\n- Kitchen Light (`light.kitchen`, Kitchen)\n\nStates read live from Home Assistant.',
    });
  });

  it('names door and window contacts after the question', () => {
    const question = new HumanMessage('Which windows are open?');
    expect(decide(question)).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'list_entities_by_domain', args: { domain: 'binary_sensor', stateFilter: 'on', limit: 200 } }],
    });
    const contact = (entityId: string, name: string) => ({ entity_id: entityId, name, domain: 'binary_sensor', state: 'on', area: null, device: null });
    const result = (entities: ReturnType<typeof contact>[]) =>
      new ToolMessage({ content: '…', tool_call_id: 'call_1', name: 'list_entities_by_domain', artifact: { op: 'list_entities_by_domain', entities, total: entities.length, live: true } });
    // A motion sensor that is "on" is not an open window.
    expect(decide(question, callOf('list_entities_by_domain'), result([contact('binary_sensor.hallway_motion', 'Hallway Motion')]))).toEqual({
      kind: 'text',
      text: 'No windows are open right now. States read live from Home Assistant.',
    });
    const answer = decide(question, callOf('list_entities_by_domain'), result([contact('binary_sensor.hallway_motion', 'Hallway Motion'), contact('binary_sensor.office_window', 'Office Window')]));
    expect(answer).toMatchObject({ kind: 'text', text: expect.stringContaining('**1 window is open** right now:\n\n- Office Window (`binary_sensor.office_window`)') });
  });

  it('searches, then reads the best match for a question about one entity', () => {
    const question = new HumanMessage('Is the front door locked?');
    expect(decide(question)).toEqual({ kind: 'tool_calls', calls: [{ name: 'search_entities', args: { query: 'front door', limit: 10 } }] });
    const found = new ToolMessage({
      content: '…',
      tool_call_id: 'call_1',
      name: 'search_entities',
      artifact: {
        op: 'search_entities',
        entities: [
          { entity_id: 'binary_sensor.front_door', name: 'Front Door', domain: 'binary_sensor', state: 'off', area: 'Hallway', device: null },
          { entity_id: 'lock.front_door', name: 'Front Door Lock', domain: 'lock', state: 'locked', area: 'Hallway', device: null },
        ],
        total: 2,
        live: false,
      },
    });
    // The lock, not the first match: "locked" is a lock's state.
    expect(decide(question, callOf('search_entities'), found)).toEqual({ kind: 'tool_calls', calls: [{ name: 'get_entity_state', args: { entity_id: 'lock.front_door' } }] });
    const none = new ToolMessage({ content: '…', tool_call_id: 'call_1', name: 'search_entities', artifact: { op: 'search_entities', entities: [], total: 0, live: false } });
    expect(decide(question, callOf('search_entities'), none)).toMatchObject({ kind: 'text', text: expect.stringContaining('could not find an entity matching "front door"') });
  });

  it('reports a failed catalog tool instead of guessing', () => {
    const failed = new ToolMessage({ content: 'Error: The Librarian could not answer: down', tool_call_id: 'call_1', name: 'list_automations', status: 'error' });
    expect(decide(new HumanMessage('List my automations'), callOf('list_automations'), failed)).toEqual({
      kind: 'text',
      text: "I could not read that from your home's catalog: The Librarian could not answer: down",
    });
  });

  it('keeps analysis questions with the team even when they name a device', () => {
    expect(decide(new HumanMessage('How much power do the lights that are on use?'))).toMatchObject({ calls: [{ name: 'consult_data_science_team' }] });
  });
});

function callOf(name: string) {
  return new AIMessage({ content: '', tool_calls: [{ id: 'call_1', name, args: {} }] });
}
