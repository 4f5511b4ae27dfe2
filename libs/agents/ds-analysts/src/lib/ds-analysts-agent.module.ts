import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { HomeAssistantClient } from '@aether/home-assistant';
import { Module } from '@nestjs/common';
import { AnalysisPool } from './analysis-pool/analysis-pool';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import { EnergyAnalyst } from './energy/energy-analyst.service';
import { CustomAnalyst } from './custom/custom-analyst.service';
import { ScriptSandbox } from './sandbox/script-sandbox';

/**
 * The DS analysts agent and its specialists. Needs `HomeAssistantClient` from the application's
 * (global) Home Assistant module and `AETHER_CONFIG`; constructing it does no I/O.
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
      provide: CustomAnalyst,
      inject: [HomeAssistantClient, AETHER_CONFIG],
      useFactory: (homeAssistant: HomeAssistantClient, config: AetherConfig) => {
        // Found on the first custom analysis (a confined test run), not at start: most processes never need it.
        let sandbox: Promise<ScriptSandbox | undefined> | undefined;
        return new CustomAnalyst(homeAssistant, () => (sandbox ??= ScriptSandbox.detect(config.sandbox?.runtime ?? 'auto', config.sandbox?.python)));
      },
    },
    {
      provide: DiagnosticAnalyst,
      inject: [HomeAssistantClient],
      useFactory: (homeAssistant: HomeAssistantClient) => new DiagnosticAnalyst(homeAssistant),
    },
  ],
})
export class DsAnalystsAgentModule {}
