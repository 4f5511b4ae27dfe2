import { HomeAssistantClient } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { AnalysisPool } from './analysis-pool/analysis-pool';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import { EnergyAnalyst } from './energy/energy-analyst.service';

/**
 * The DS analysts agent and its specialists. Needs `HomeAssistantClient` from the application's
 * (global) Home Assistant module; constructing it does no I/O.
 */
@Module({
  providers: [
    DsAnalystsAgent,
    AnalysisPool,
    {
      provide: EnergyAnalyst,
      inject: [HomeAssistantClient, AnalysisPool],
      useFactory: (homeAssistant: HomeAssistantClient, pool: AnalysisPool) => new EnergyAnalyst(homeAssistant, pool),
    },
    {
      provide: BehavioralAnalyst,
      inject: [HomeAssistantClient, AnalysisPool],
      useFactory: (homeAssistant: HomeAssistantClient, pool: AnalysisPool) => new BehavioralAnalyst(homeAssistant, pool),
    },
    {
      provide: DiagnosticAnalyst,
      inject: [HomeAssistantClient],
      useFactory: (homeAssistant: HomeAssistantClient) => new DiagnosticAnalyst(homeAssistant),
    },
  ],
})
export class DsAnalystsAgentModule {}
