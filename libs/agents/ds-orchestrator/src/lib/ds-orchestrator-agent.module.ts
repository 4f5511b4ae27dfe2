import { LlmProfile, UtilityModel } from '@aether/llm';
import { Module } from '@nestjs/common';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';
import { TeamNarrator } from './team-narrator';

/**
 * The DS orchestrator agent. Needs the `ds-analysts` client (`AgentRuntimeModule`), the
 * `InsightStore` (`PersistenceModule`), and `LlmProfile` and `UtilityModel` (the global
 * `LlmModule`: the synthesis in words); constructing it does no I/O.
 */
@Module({
  providers: [
    DsOrchestratorAgent,
    {
      provide: TeamNarrator,
      inject: [LlmProfile, UtilityModel],
      useFactory: (llm: LlmProfile, model: UtilityModel) =>
        llm.provider === 'offline' ? TeamNarrator.offline : new TeamNarrator({ complete: (request) => model.complete(request), resolve: (requested) => llm.resolveModel('ds-orchestrator', requested) }),
    },
  ],
})
export class DsOrchestratorAgentModule {}
