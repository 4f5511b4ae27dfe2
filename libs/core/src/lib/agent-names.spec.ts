import { AGENT_NAMES, AGENT_PORTS, isAgentName } from './agent-names';

describe('agent names', () => {
  it('recognises the seven agents and nothing else', () => {
    expect(AGENT_NAMES).toHaveLength(7);
    expect(isAgentName('architect')).toBe(true);
    expect(isAgentName('knowledge')).toBe(false);
    expect(new Set(Object.values(AGENT_PORTS)).size).toBe(7);
  });
});
