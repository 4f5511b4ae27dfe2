import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { HomeAssistantClient } from '@aether/home-assistant';
import { LlmProfile, UtilityModel } from '@aether/llm';
import { Module } from '@nestjs/common';
import { AnalysisPool } from './analysis-pool/analysis-pool';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { BehavioralAnalyst } from './behavioral/behavioral-analyst.service';
import { DiagnosticAnalyst } from './diagnostic/diagnostic-analyst.service';
import { EnergyAnalyst } from './energy/energy-analyst.service';
import { CustomAnalyst } from './custom/custom-analyst.service';
import { ScriptWriter } from './custom/script-writer';
import { sandboxOnDemand, ScriptSandbox } from './sandbox/script-sandbox';

/**
 * The DS analysts agent and its specialists. Needs `HomeAssistantClient` from the application's
 * (global) Home Assistant module, `AETHER_CONFIG`, and `LlmProfile` and `UtilityModel` (the global
 * `LlmModule`: the custom analysis has its scripts written); constructing it does no I/O.
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
      inject: [HomeAssistantClient, AETHER_CONFIG, LlmProfile, UtilityModel],
      useFactory: (homeAssistant: HomeAssistantClient, config: AetherConfig, llm: LlmProfile, model: UtilityModel) => {
        // Found on the first custom analysis (a confined test run), not at start: most processes never need it.
        const sandbox = sandboxOnDemand(() => ScriptSandbox.detect(config.sandbox?.runtime ?? 'auto', config.sandbox?.python));
        return new CustomAnalyst(homeAssistant, sandbox, {
          // Offline there is no model to write a script: the built-in templates are the offline model's scripts.
          scriptWriter: (requested) => (llm.provider === 'offline' ? undefined : new ScriptWriter(model, llm.resolveModel('ds-analysts', requested))),
        });
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
