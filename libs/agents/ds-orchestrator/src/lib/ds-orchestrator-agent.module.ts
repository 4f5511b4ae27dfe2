import { agentCardToken, agentProviderToken, type AgentClient } from '@aether/core';
import { InjectAgent } from '@aether/agent-runtime';
import { Injectable, Module } from '@nestjs/common';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';
import { DS_ORCHESTRATOR_CARD } from './ds-orchestrator.card';

/** Collects the DS orchestrator's dependencies through Nest; the agent itself stays DI-free. */
@Injectable()
export class DsOrchestratorDependencies {
  constructor(@InjectAgent('ds-analysts') readonly analysts: AgentClient) {}
}

/** Provides the DS orchestrator agent and its card; constructing it does no I/O. */
@Module({
  providers: [
    DsOrchestratorDependencies,
    {
      provide: agentProviderToken('ds-orchestrator'),
      inject: [DsOrchestratorDependencies],
      useFactory: (deps: DsOrchestratorDependencies) => new DsOrchestratorAgent(deps.analysts),
    },
    { provide: agentCardToken('ds-orchestrator'), useValue: DS_ORCHESTRATOR_CARD },
  ],
  exports: [agentProviderToken('ds-orchestrator'), agentCardToken('ds-orchestrator')],
})
export class DsOrchestratorAgentModule {}
