import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { architectOfflinePolicy } from './architect-offline.policy';

const decide = (...messages: Array<HumanMessage | AIMessage | ToolMessage | SystemMessage>) => architectOfflinePolicy({ messages, tools: [] });

describe('architectOfflinePolicy', () => {
  it('sends analysis questions to the data science team with the window they name (clamped to 720 h)', () => {
    expect(decide(new SystemMessage('sys'), new HumanMessage('Analyze my energy usage over the last 7 days'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'Analyze my energy usage over the last 7 days', hours: 168 } }],
    });
    expect(decide(new HumanMessage('How much electricity did we use this year?'))).toMatchObject({ calls: [{ args: { hours: 720 } }] });
    expect(decide(new HumanMessage('What is my power consumption?'))).toEqual({
      kind: 'tool_calls',
      calls: [{ name: 'consult_data_science_team', args: { query: 'What is my power consumption?' } }],
    });
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
});
