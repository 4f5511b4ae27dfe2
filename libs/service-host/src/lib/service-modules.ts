import { Module, type DynamicModule } from '@nestjs/common';
import { A2aServerModule, provideReadinessCheck } from '@aether/a2a';
import { AgentRuntimeModule, provideAgentReachableCheck } from '@aether/agent-runtime';
import { AetherConfigModule } from '@aether/config';
import type { AgentName } from '@aether/core';
import { GatewayModule } from '@aether/gateway';
import { HomeAssistantClient } from '@aether/home-assistant';
import { LlmModule } from '@aether/llm';
import { MetricsModule } from '@aether/observability';
import { PersistenceModule } from '@aether/persistence';
import { AGENT_MODULES, HOME_ASSISTANT_AGENTS, REQUIRED_DOWNSTREAM } from './agent-modules';
import { HomeAssistantHostModule } from './home-assistant-host.module';

/** What every Aether process loads: config, metrics, the database, the LLM factory, Home Assistant, the agents. */
function platformImports(service: string) {
  return [
    AetherConfigModule.forRoot(),
    MetricsModule.forRoot({ service }),
    PersistenceModule.forRoot({ service }),
    LlmModule.forRoot(),
    HomeAssistantHostModule,
    ...AGENT_MODULES,
  ];
}

/**
 * The gateway process: the OpenAI-compatible API. Every agent that DEPLOYMENT_MODE keeps local runs
 * in this process (all of them in monolith mode); the others are called over A2A.
 */
@Module({ imports: [...platformImports('gateway'), AgentRuntimeModule.forRoot(), GatewayModule] })
export class GatewayHostModule {}

/** One agent as its own A2A service (distributed/selective deployments, one container each). */
@Module({})
export class AgentServiceModule {
  static forAgent(name: AgentName): DynamicModule {
    const downstream = REQUIRED_DOWNSTREAM[name];
    return {
      module: AgentServiceModule,
      imports: [...platformImports(name), AgentRuntimeModule.forRoot({ self: name }), A2aServerModule.forAgent(name)],
      providers: [
        ...(HOME_ASSISTANT_AGENTS.includes(name)
          ? [
              provideReadinessCheck({
                useFactory: (ha: HomeAssistantClient) => ({ name: 'home-assistant', check: async () => void (await ha.ping()) }),
                inject: [HomeAssistantClient],
              }),
            ]
          : []),
        ...(downstream ? [provideAgentReachableCheck(downstream)] : []),
      ],
    };
  }
}
