import { agentCardToken, agentProviderToken } from '@aether/core';
import { HomeAssistantClient } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { AnalysisPool } from './analysis-pool/analysis-pool';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { DS_ANALYSTS_CARD } from './ds-analysts.card';
import { EnergyAnalyst } from './energy/energy-analyst.service';

/**
 * Provides the DS analysts agent and its card. Needs `HomeAssistantClient` from the application's
 * (global) Home Assistant module; constructing it does no I/O.
 */
@Module({
  providers: [
    {
      provide: agentProviderToken('ds-analysts'),
      inject: [HomeAssistantClient, AnalysisPool],
      useFactory: (homeAssistant: HomeAssistantClient, pool: AnalysisPool) => new DsAnalystsAgent(new EnergyAnalyst(homeAssistant, pool)),
    },
    { provide: agentCardToken('ds-analysts'), useValue: DS_ANALYSTS_CARD },
    AnalysisPool,
  ],
  exports: [agentProviderToken('ds-analysts'), agentCardToken('ds-analysts')],
})
export class DsAnalystsAgentModule {}
