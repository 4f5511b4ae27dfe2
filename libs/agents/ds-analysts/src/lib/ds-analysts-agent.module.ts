import { HomeAssistantClient } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { EnergyAnalyst } from './energy/energy-analyst.service';

/**
 * The DS analysts agent and its specialists. Needs `HomeAssistantClient` from the application's
 * (global) Home Assistant module; constructing it does no I/O.
 */
@Module({
  providers: [
    DsAnalystsAgent,
    { provide: EnergyAnalyst, inject: [HomeAssistantClient], useFactory: (homeAssistant: HomeAssistantClient) => new EnergyAnalyst(homeAssistant) },
  ],
})
export class DsAnalystsAgentModule {}
