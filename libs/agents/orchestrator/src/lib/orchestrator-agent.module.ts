import { agentCardToken, agentProviderToken, type AgentClient } from '@aether/core';
import { InjectAgent } from '@aether/agent-runtime';
import { ChatModelFactory } from '@aether/llm';
import { Inject, Injectable, Module } from '@nestjs/common';
import { OrchestratorAgent } from './orchestrator.agent';
import { ORCHESTRATOR_CARD } from './orchestrator.card';

/** Collects the orchestrator's dependencies through Nest; the agent itself stays DI-free. */
@Injectable()
export class OrchestratorDependencies {
  constructor(
    @Inject(ChatModelFactory) readonly models: ChatModelFactory,
    @InjectAgent('architect') readonly architect: AgentClient,
    @InjectAgent('librarian') readonly librarian: AgentClient,
    @InjectAgent('dashboard-designer') readonly dashboardDesigner: AgentClient,
  ) {}
}

/**
 * Provides the orchestrator agent and its card. Needs `ChatModelFactory` (the global `LlmModule`);
 * constructing it does no I/O.
 */
@Module({
  providers: [
    OrchestratorDependencies,
    {
      provide: agentProviderToken('orchestrator'),
      inject: [OrchestratorDependencies],
      useFactory: (deps: OrchestratorDependencies) =>
        new OrchestratorAgent(deps.models, { architect: deps.architect, librarian: deps.librarian, 'dashboard-designer': deps.dashboardDesigner }),
    },
    { provide: agentCardToken('orchestrator'), useValue: ORCHESTRATOR_CARD },
  ],
  exports: [agentProviderToken('orchestrator'), agentCardToken('orchestrator')],
})
export class OrchestratorAgentModule {}
