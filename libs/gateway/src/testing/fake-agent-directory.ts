import type { AgentDirectory, AgentProbe, AgentTopology } from '@aether/agent-runtime';
import type { AetherConfig } from '@aether/config';
import { AGENT_NAMES, type AgentName } from '@aether/core';
import { ScriptedAgentClient } from './scripted-agent-client';

/**
 * Test double of `AgentDirectory`: every agent is a `ScriptedAgentClient`; which agents are remote
 * and what their probes answer is set by the test.
 */
export class FakeAgentDirectory implements Pick<AgentDirectory, 'client' | 'isRemote' | 'describe' | 'probe'> {
  readonly clients = Object.fromEntries(AGENT_NAMES.map((name) => [name, new ScriptedAgentClient(name)])) as Record<
    AgentName,
    ScriptedAgentClient
  >;
  readonly probes: Partial<Record<AgentName, () => Promise<AgentProbe>>> = {};

  constructor(
    private readonly remote: readonly AgentName[] = [],
    private readonly topology: Pick<AetherConfig, 'deploymentMode' | 'agentUrls'> = {
      deploymentMode: remote.length ? 'selective' : 'monolith',
      agentUrls: {},
    },
  ) {}

  client(name: AgentName): ScriptedAgentClient {
    return this.clients[name];
  }

  isRemote(name: AgentName): boolean {
    return this.remote.includes(name);
  }

  describe(): AgentTopology {
    return {
      mode: this.topology.deploymentMode,
      agents: AGENT_NAMES.map((name) => ({
        name,
        location: this.isRemote(name) ? 'remote' : 'local',
        url: this.topology.agentUrls[name],
      })),
    };
  }

  probe(name: AgentName): Promise<AgentProbe> {
    const probe = this.probes[name];
    if (!probe) return Promise.reject(new Error(`the test did not script a probe of ${name}`));
    return probe();
  }
}
