import { type AgentClient, type AgentEvent, type AgentRequest } from '@aether/core';
import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { LlmModule } from '@aether/llm';
import { agentClientToken } from '@aether/agent-runtime';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InsightStore, TypeOrmInsightStore } from '@aether/persistence';
import { openTestDatabase } from '@aether/persistence/testing';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';
import { DsOrchestratorAgentModule } from './ds-orchestrator-agent.module';

describe('DsOrchestratorAgentModule', () => {
  it('provides the DS orchestrator wired to the ds-analysts client, plus its card', async () => {
    const requests: AgentRequest[] = [];
    const analysts: AgentClient = {
      agent: 'ds-analysts',
      async *stream(request: AgentRequest): AsyncGenerator<AgentEvent> {
        requests.push(request);
        yield { type: 'token', agent: 'ds-analysts', content: 'Total: 3.000 kWh\n' };
      },
      send: () => Promise.reject(new Error('not used')),
    };
    const db = await openTestDatabase('pglite');
    @Module({
      providers: [
        { provide: agentClientToken('ds-analysts'), useValue: analysts },
        { provide: InsightStore, useValue: new TypeOrmInsightStore(db.dataSource) },
      ],
      exports: [agentClientToken('ds-analysts'), InsightStore],
    })
    class AppProviders {}

    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LlmModule.forRoot({ chatModels: false }), LocalAgentsModule, { module: AppProviders, global: true }, DsOrchestratorAgentModule] }).compile();
    const agent = moduleRef.get(LocalAgentRegistry).get('ds-orchestrator').agent;
    expect(agent).toBeInstanceOf(DsOrchestratorAgent);
    expect(moduleRef.get(LocalAgentRegistry).get('ds-orchestrator').card.skills.map((s) => s.id)).toEqual(['team_analysis', 'synthesis']);

    let report = '';
    for await (const event of agent.run({ message: 'How much electricity?', history: [], context: { conversationId: 'c', userId: 'u' } }, new AbortController().signal)) {
      if (event.type === 'token') report += event.content;
    }
    expect(requests.map((r) => r.data)).toEqual([{ specialist: 'energy', hours: 24, query: 'How much electricity?' }]);
    expect(report).toContain('Total: 3.000 kWh');
    await db.close();
  }, 60_000);
});
