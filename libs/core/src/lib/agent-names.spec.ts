import { AGENT_NAMES, AGENT_PORTS, isAgentName } from './agent-names';
import { AGENT_TABLE, GATEWAY_PORT } from './agent-table';

describe('agent table', () => {
  it('recognises the seven agents and nothing else', () => {
    expect(AGENT_NAMES).toEqual(['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts', 'developer', 'librarian', 'dashboard-designer']);
    expect(isAgentName('architect')).toBe(true);
    expect(isAgentName('knowledge')).toBe(false);
  });

  it('gives every agent its own port and URL variable', () => {
    expect(new Set([GATEWAY_PORT, ...Object.values(AGENT_PORTS)]).size).toBe(8);
    expect(new Set(AGENT_TABLE.map((agent) => agent.urlEnv)).size).toBe(AGENT_TABLE.length);
  });

  it('names only agents of the table as callees and requirements, never the agent itself', () => {
    for (const agent of AGENT_TABLE) {
      const requires: string | undefined = 'requires' in agent ? agent.requires : undefined;
      for (const callee of [...agent.calls, ...(requires ? [requires] : [])]) {
        expect(isAgentName(callee)).toBe(true);
        expect(callee).not.toBe(agent.name);
      }
      if (requires) expect(agent.calls).toContain(requires);
    }
  });
});
