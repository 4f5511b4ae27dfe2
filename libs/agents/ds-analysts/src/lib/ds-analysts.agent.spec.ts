import { AgentError, type AgentEvent, type AgentRequest } from '@aether/core';
import { DsAnalystsAgent } from './ds-analysts.agent';
import type { EnergyAnalysisParams, EnergyAnalyst } from './energy/energy-analyst.service';

/** Records what the agent asked of the energy analyst. */
class RecordingEnergyAnalyst {
  readonly calls: EnergyAnalysisParams[] = [];
  async *analyse(params: EnergyAnalysisParams): AsyncGenerator<AgentEvent> {
    this.calls.push(params);
    yield { type: 'token', agent: 'ds-analysts', content: 'Total: 1.000 kWh\n' };
  }
}

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
    const energy = new RecordingEnergyAnalyst();
    const agent = new DsAnalystsAgent(energy as unknown as EnergyAnalyst);
    const events = await drain(agent.run(request({ specialist: 'energy', hours: 168, query: 'last week' }), signal));
    expect(energy.calls).toEqual([{ hours: 168, query: 'last week' }]);
    expect(events).toEqual([{ type: 'token', agent: 'ds-analysts', content: 'Total: 1.000 kWh\n' }]);
  });

  it.each([
    ['behavioral', 'The behavioral analyst is not available yet in this version of Aether.'],
    ['diagnostic', 'The diagnostic analyst is not available yet in this version of Aether.'],
  ])('answers not_implemented for the %s analyst', async (specialist, message) => {
    const agent = new DsAnalystsAgent(new RecordingEnergyAnalyst() as unknown as EnergyAnalyst);
    await expect(drain(agent.run(request({ specialist }), signal))).rejects.toEqual(new AgentError('not_implemented', message, 'ds-analysts'));
  });

  it.each([[undefined], [{}], [{ specialist: 'astrology' }], [{ specialist: 'energy', hours: 'a week' }]])(
    'rejects invalid input %j',
    async (data) => {
      const agent = new DsAnalystsAgent(new RecordingEnergyAnalyst() as unknown as EnergyAnalyst);
      await expect(drain(agent.run(request(data), signal))).rejects.toMatchObject({ code: 'invalid_input' });
    },
  );
});
