import { type AgentEvent, type AgentRequest, type Finding } from '@aether/core';
import type { HaEntityRegistryEntry, HomeAssistantClient } from '@aether/home-assistant';
import { DsAnalystsAgent } from './ds-analysts.agent';
import type { CustomAnalyst } from './custom/custom-analyst.service';
import type { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import type { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import type { EnergyAnalysisParams, EnergyAnalyst } from './energy/energy-analyst.service';

/** Records what the agent asked of an analyst; answers with a line and, when given, findings. */
class RecordingAnalyst {
  readonly calls: EnergyAnalysisParams[] = [];
  findings?: Finding[];
  constructor(private readonly line: string) {}
  async *analyse(params: EnergyAnalysisParams): AsyncGenerator<AgentEvent> {
    this.calls.push(params);
    yield { type: 'token', agent: 'ds-analysts', content: this.line };
    if (this.findings) yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'diagnostic', findings: this.findings } };
  }
}

/** HA's entity registry of a motion sensor (its motion and battery entities on one device) and a light. */
const REGISTRY = [
  { entity_id: 'binary_sensor.hallway_motion', device_id: 'dev-motion' },
  { entity_id: 'sensor.hallway_motion_battery', device_id: 'dev-motion' },
  { entity_id: 'light.hallway', device_id: 'dev-light' },
  { entity_id: 'sun.sun', device_id: null },
] as HaEntityRegistryEntry[];

const analysts = () => {
  const energy = new RecordingAnalyst('Total: 1.000 kWh\n');
  const behavioral = new RecordingAnalyst('Automation candidates: none\n');
  const diagnostic = new RecordingAnalyst('Findings:\n');
  const homeAssistant = { getEntityRegistry: async () => REGISTRY } as unknown as HomeAssistantClient;
  return {
    energy,
    behavioral,
    diagnostic,
    agent: new DsAnalystsAgent(
      energy as unknown as EnergyAnalyst,
      behavioral as unknown as BehavioralAnalyst,
      diagnostic as unknown as DiagnosticAnalyst,
      new RecordingAnalyst('Custom analysis:\n') as unknown as CustomAnalyst,
      homeAssistant,
    ),
  };
};

const lowBattery: Finding = {
  specialist: 'diagnostic',
  type: 'concern',
  title: 'Hallway Motion Battery is at 12 %',
  description: 'Replace it soon.',
  confidence: 0.9,
  entities: ['sensor.hallway_motion_battery'],
  evidence: { level: 12 },
};
const followsMotion: Finding = {
  specialist: 'behavioral',
  type: 'insight',
  title: 'Hallway Motion and Hallway Light change together',
  description: '292 times.',
  confidence: 0.8,
  entities: ['binary_sensor.hallway_motion', 'light.hallway'],
  evidence: { times: 292 },
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

  it("gives every finding the HA devices of its entities, from HA's entity registry", async () => {
    const { diagnostic, agent } = analysts();
    diagnostic.findings = [lowBattery, { ...lowBattery, title: 'The sun', entities: ['sun.sun'] }];
    const events = await drain(agent.run(request({ specialist: 'diagnostic' }), signal));
    expect(events.at(-1)).toEqual({ type: 'result', agent: 'ds-analysts', data: { specialist: 'diagnostic', findings: [{ ...lowBattery, devices: ['dev-motion'] }, { ...lowBattery, title: 'The sun', entities: ['sun.sun'] }] } });
  });

  it("in teamwork, cites the earlier specialists' findings about the same device, in its findings and its report", async () => {
    const { diagnostic, agent } = analysts();
    diagnostic.findings = [lowBattery];
    const prior = [{ ...followsMotion, devices: ['dev-motion', 'dev-light'] }];
    const events = await drain(agent.run(request({ specialist: 'diagnostic', priorFindings: prior }), signal));
    const reference = { specialist: 'behavioral', title: followsMotion.title, relation: 'disagrees', entities: followsMotion.entities };
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { findings: [{ ...lowBattery, devices: ['dev-motion'], crossReferences: [reference] }] } });
    expect(events.at(-2)).toEqual({
      type: 'token',
      agent: 'ds-analysts',
      content:
        '\nCross-references to earlier findings (1):\n- **Hallway Motion Battery is at 12 %** disagrees with the behavioral analyst\'s "Hallway Motion and Hallway Light change together" (binary_sensor.hallway_motion, light.hallway)\n',
    });
  });

  it.each([[undefined], [{}], [{ specialist: 'astrology' }], [{ specialist: 'energy', hours: 'a week' }], [{ specialist: 'energy', priorFindings: [{ title: 'no shape' }] }]])(
    'rejects invalid input %j',
    async (data) => {
      await expect(drain(analysts().agent.run(request(data), signal))).rejects.toMatchObject({ code: 'invalid_input' });
    },
  );
});
