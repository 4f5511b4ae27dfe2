import { agentCardToken, agentProviderToken, type Agent, type AgentCardSpec, type AgentClient, type AgentEvent, type AgentName } from '@aether/core';
import { agentClientToken } from '@aether/agent-runtime';
import { ChatModelFactory, ConfiguredChatModelFactory } from '@aether/llm';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OrchestratorAgent } from './orchestrator.agent';
import { OrchestratorAgentModule } from './orchestrator-agent.module';

const answering = (agent: AgentName): AgentClient => ({
  agent,
  async *stream(): AsyncGenerator<AgentEvent> {
    yield { type: 'token', agent, content: `answer from ${agent}` };
  },
  send: () => Promise.reject(new Error('not used')),
});

describe('OrchestratorAgentModule', () => {
  it('provides the orchestrator wired to the three routable agents, plus its card', async () => {
    const routable = ['architect', 'librarian', 'dashboard-designer'] as const;
    @Module({
      providers: [
        { provide: ChatModelFactory, useValue: new ConfiguredChatModelFactory({ agentModels: {} }) },
        ...routable.map((name) => ({ provide: agentClientToken(name), useValue: answering(name) })),
      ],
      exports: [ChatModelFactory, ...routable.map((name) => agentClientToken(name))],
    })
    class AppProviders {}

    const moduleRef = await Test.createTestingModule({ imports: [{ module: AppProviders, global: true }, OrchestratorAgentModule] }).compile();
    const agent = moduleRef.get<Agent>(agentProviderToken('orchestrator'));
    expect(agent).toBeInstanceOf(OrchestratorAgent);
    expect(moduleRef.get<AgentCardSpec>(agentCardToken('orchestrator')).skills.map((s) => s.id)).toEqual(['intent_classification', 'agent_routing']);

    for (const [message, target] of [
      ['Analyze my energy usage', 'architect'],
      ['What devices do I have in the kitchen?', 'librarian'],
      ['Make me a dashboard', 'dashboard-designer'],
    ]) {
      const tokens: string[] = [];
      for await (const event of agent.run({ message, history: [], context: { conversationId: 'c', userId: 'u' } }, new AbortController().signal)) {
        if (event.type === 'token') tokens.push(event.content);
      }
      expect(tokens).toEqual([`answer from ${target}`]);
    }
  });
});
