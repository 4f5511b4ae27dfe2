import { agentCardToken, agentProviderToken } from '@aether/core';
import { Module } from '@nestjs/common';
import { DeveloperAgent } from './developer.agent';
import { DEVELOPER_CARD } from './developer.card';

/** Provides the Developer agent and its card; constructing it does no I/O. */
@Module({
  providers: [
    { provide: agentProviderToken('developer'), useFactory: () => new DeveloperAgent() },
    { provide: agentCardToken('developer'), useValue: DEVELOPER_CARD },
  ],
  exports: [agentProviderToken('developer'), agentCardToken('developer')],
})
export class DeveloperAgentModule {}
