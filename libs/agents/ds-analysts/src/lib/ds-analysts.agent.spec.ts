import { type AgentEvent, type AgentRequest } from '@aether/core';
import { DsAnalystsAgent } from './ds-analysts.agent';
import type { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import type { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import type { EnergyAnalysisParams, EnergyAnalyst } from './energy/energy-analyst.service';

/** Records what the agent asked of an analyst. */
class RecordingAnalyst {
  readonly calls: EnergyAnalysisParams[] = [];
  constructor(private readonly line: string) {}
  async *analyse(params: EnergyAnalysisParams): AsyncGenerator<AgentEvent> {
    this.calls.push(params);
    yield { type: 'token', agent: 'ds-analysts', content: this.line };
  }
}

const analysts = () => {
  const energy = new RecordingAnalyst('Total: 1.000 kWh\n');
  const behavioral = new RecordingAnalyst('Automation candidates: none\n');
  const diagnostic = new RecordingAnalyst('Findings:\n');
  return {
    energy,
    behavioral,
    diagnostic,
    agent: new DsAnalystsAgent(energy as unknown as EnergyAnalyst, behavioral as unknown as BehavioralAnalyst, diagnostic as unknown as DiagnosticAnalyst),
  };
};

const request = (data?: Record<string, unknown>): AgentRequest => ({
  message: 'Analyze my energy usage',
  history: [],
  data,
  context: { conversationId: 'c1', userId: 'u1' },
});

async function drain(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

describe('DsAnalystsAgent', () => {
  const signal = new AbortController().signal;

  it('runs the energy analyst with the requested window and query', async () => {
    const { energy, behavioral, agent } = analysts();
    const events = await drain(agent.run(request({ specialist: 'energy', hours: 168, query: 'last week' }), signal));
    expect(energy.calls).toEqual([{ hours: 168, query: 'last week' }]);
    expect(behavioral.calls).toEqual([]);
    expect(events).toEqual([{ type: 'token', agent: 'ds-analysts', content: 'Total: 1.000 kWh\n' }]);
  });

  it('runs the behavioral analyst with the requested period and query', async () => {
    const { energy, behavioral, agent } = analysts();
    const events = await drain(agent.run(request({ specialist: 'behavioral', period: 'last_week', query: 'What are my routines?' }), signal));
    expect(behavioral.calls).toEqual([{ period: 'last_week', query: 'What are my routines?' }]);
    expect(energy.calls).toEqual([]);
    expect(events).toEqual([{ type: 'token', agent: 'ds-analysts', content: 'Automation candidates: none\n' }]);
  });

  it('runs the diagnostic analyst with the query', async () => {
    const { energy, diagnostic, agent } = analysts();
    const events = await drain(agent.run(request({ specialist: 'diagnostic', query: 'Why is my garage sensor unavailable?' }), signal));
    expect(diagnostic.calls).toEqual([{ query: 'Why is my garage sensor unavailable?' }]);
    expect(energy.calls).toEqual([]);
    expect(events).toEqual([{ type: 'token', agent: 'ds-analysts', content: 'Findings:\n' }]);
  });

  it.each([[undefined], [{}], [{ specialist: 'astrology' }], [{ specialist: 'energy', hours: 'a week' }]])(
    'rejects invalid input %j',
    async (data) => {
      await expect(drain(analysts().agent.run(request(data), signal))).rejects.toMatchObject({ code: 'invalid_input' });
    },
  );
});
