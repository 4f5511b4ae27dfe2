import { agentCardToken, agentProviderToken, type AgentClient } from '@aether/core';
import { InjectAgent } from '@aether/agent-runtime';
import { ChatModelFactory } from '@aether/llm';
import { Inject, Injectable, Module } from '@nestjs/common';
import { ArchitectAgent } from './architect.agent';
import { ARCHITECT_CARD } from './architect.card';

/** Collects the Architect's dependencies through Nest; the agent itself stays DI-free. */
@Injectable()
export class ArchitectDependencies {
  constructor(
    @Inject(ChatModelFactory) readonly models: ChatModelFactory,
    @InjectAgent('ds-orchestrator') readonly dataScienceTeam: AgentClient,
    /** The catalog's owner: the Architect's catalog tools and home summary query it. */
    @InjectAgent('librarian') readonly librarian: AgentClient,
  ) {}
}

/**
 * Provides the Architect agent and its card. Needs `ChatModelFactory` (the global `LlmModule`);
 * constructing it does no I/O.
 */
@Module({
  providers: [
    ArchitectDependencies,
    {
      provide: agentProviderToken('architect'),
      inject: [ArchitectDependencies],
      useFactory: (deps: ArchitectDependencies) => new ArchitectAgent(deps.models, deps.dataScienceTeam, deps.librarian),
    },
    { provide: agentCardToken('architect'), useValue: ARCHITECT_CARD },
  ],
  exports: [agentProviderToken('architect'), agentCardToken('architect')],
})
export class ArchitectAgentModule {}
