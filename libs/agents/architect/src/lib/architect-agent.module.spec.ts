import { type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { agentClientToken } from '@aether/agent-runtime';
import { ChatModelFactory } from '@aether/llm';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ArchitectAgent } from './architect.agent';
import { ArchitectAgentModule } from './architect-agent.module';
import { DEMO_FIXTURE, FixtureLibrarianClient } from './testing/fixture-librarian.client';

describe('ArchitectAgentModule', () => {
  it('provides the Architect wired to the ChatModelFactory, the DS Orchestrator and Librarian clients, plus its card', async () => {
    const librarian = new FixtureLibrarianClient(DEMO_FIXTURE);
    const requests: AgentRequest[] = [];
    const dataScienceTeam: AgentClient = {
      agent: 'ds-orchestrator',
      async *stream(request: AgentRequest): AsyncGenerator<AgentEvent> {
        requests.push(request);
        yield { type: 'token', agent: 'ds-orchestrator', content: 'Total: 2.000 kWh' };
      },
      send: () => Promise.reject(new Error('not used')),
    };
    // This question proposes nothing: a call to the Developer would fail the test.
    const developer: AgentClient = { agent: 'developer', stream: () => Promise.reject(new Error('not used')) as never, send: () => Promise.reject(new Error('not used')) };
    // What the application's global modules (LlmModule, AgentRuntimeModule) provide.
    @Module({
      providers: [
        { provide: ChatModelFactory, useValue: new ConfiguredChatModelFactory({ agentModels: {} }) },
        { provide: agentClientToken('ds-orchestrator'), useValue: dataScienceTeam },
        { provide: agentClientToken('librarian'), useValue: librarian },
        { provide: agentClientToken('developer'), useValue: developer },
      ],
      exports: [ChatModelFactory, agentClientToken('ds-orchestrator'), agentClientToken('librarian'), agentClientToken('developer')],
    })
    class AppProviders {}

    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, { module: AppProviders, global: true }, ArchitectAgentModule] }).compile();
    const agent = moduleRef.get(LocalAgentRegistry).get('architect').agent;
    expect(agent).toBeInstanceOf(ArchitectAgent);
    expect(moduleRef.get(LocalAgentRegistry).get('architect').card.skills.map((s) => s.id)).toEqual([
      'automation_design',
      'entity_queries',
      'proposal_management',
    ]);

    const ask = async (message: string) => {
      let answer = '';
      for await (const event of agent.run({ message, history: [], context: { conversationId: 'c', userId: 'u' } }, new AbortController().signal)) {
        if (event.type === 'token') answer += event.content;
      }
      return answer;
    };
    expect(await ask('Analyze my energy usage')).toContain('Total: 2.000 kWh');
    expect(requests).toHaveLength(1);
    expect(await ask('What lights are on?')).toContain('Kitchen Light');
    expect(librarian.queries.map((q) => q.op)).toEqual(['catalog_summary', 'list_entities_by_domain']);
  });
});
