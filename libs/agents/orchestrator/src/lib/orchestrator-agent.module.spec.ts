import { type AgentClient, type AgentEvent, type AgentName } from '@aether/core';
import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { agentClientToken } from '@aether/agent-runtime';
import { ChatModelFactory } from '@aether/llm';
import { ConfiguredChatModelFactory } from '@aether/llm/models';
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

    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, { module: AppProviders, global: true }, OrchestratorAgentModule] }).compile();
    const agent = moduleRef.get(LocalAgentRegistry).get('orchestrator').agent;
    expect(agent).toBeInstanceOf(OrchestratorAgent);
    expect(moduleRef.get(LocalAgentRegistry).get('orchestrator').card.skills.map((s) => s.id)).toEqual(['intent_classification', 'agent_routing']);

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
