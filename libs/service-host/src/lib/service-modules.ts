import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { A2aServerModule } from '@aether/a2a';
import { AgentRuntimeModule, provideAgentReachableCheck } from '@aether/agent-runtime';
import { AetherConfigModule, isRemoteAgent, loadConfig, type AetherConfig } from '@aether/config';
import { agentDescriptor, knownAgents, type AgentDescriptor, type AgentName } from '@aether/core';
import { LlmModule } from '@aether/llm';
import { MetricsModule } from '@aether/observability';
import { agentModuleLoader } from './agent-modules';
import { ShutdownStateModule } from './shutdown-state.module';

type HostedAgent = AgentDescriptor & { readonly name: AgentName };

/** Whether any of the agents a process hosts needs a platform part (a column of the agent table). */
function anyNeeds(agents: readonly HostedAgent[], part: 'database' | 'homeAssistant'): boolean {
  return agents.some((agent) => agent[part]);
}

/** Whether any of them asks a chat model (and so needs LangChain). */
function anyChats(agents: readonly HostedAgent[]): boolean {
  return agents.some((agent) => agent.llm === 'chat');
}

/**
 * The modules of the agents a process hosts, and the platform parts those agents need — nothing
 * more. Each part is imported only when needed (the bundler splits it off), so a process without a
 * durable agent never loads TypeORM, one without a Home Assistant agent never loads its client (or
 * the demo home), and one without a model-asking agent never loads LangChain.
 */
async function hostImports(service: string, config: AetherConfig, agents: readonly HostedAgent[], extra: { database?: boolean } = {}) {
  const parts: Array<Promise<DynamicModule | Type<unknown>>> = [];
  if (extra.database || anyNeeds(agents, 'database')) {
    parts.push(import('@aether/persistence').then((m) => m.PersistenceModule.forRoot({ service })));
  }
  if (anyNeeds(agents, 'homeAssistant')) {
    parts.push(import('./home-assistant-host.module').then((m) => m.HomeAssistantHostModule));
  }
  return [
    AetherConfigModule.forRoot(config),
    ShutdownStateModule,
    MetricsModule.forRoot({ service }),
    ...(await Promise.all([...parts, ...agents.map((agent) => agentModuleLoader(agent.name)())])),
  ];
}

/**
 * The gateway process: the OpenAI-compatible API. Every agent that DEPLOYMENT_MODE keeps local runs
 * in this process (all of them in monolith mode) and only those are loaded; the others are called
 * over A2A.
 */
@Module({})
export class GatewayHostModule {
  static async forRoot(config: AetherConfig = loadConfig()): Promise<DynamicModule> {
    const local = knownAgents().filter((agent) => !isRemoteAgent(config, agent.name));
    const [platform, { GatewayModule }] = await Promise.all([
      // The gateway stores conversations whatever runs where.
      hostImports('gateway', config, local, { database: true }),
      import('@aether/gateway'),
    ]);
    // The gateway's health and /ready then report Home Assistant for the agents it hosts.
    const homeAssistantReadiness = anyNeeds(local, 'homeAssistant') ? [(await import('./home-assistant-host.module')).homeAssistantReadinessCheck] : [];
    return {
      module: GatewayHostModule,
      imports: [...platform, LlmModule.forRoot({ chatModels: anyChats(local) }), AgentRuntimeModule.forRoot(), GatewayModule],
      providers: homeAssistantReadiness,
    };
  }
}

/** One agent as its own A2A service (distributed/selective deployments, one container each). */
@Module({})
export class AgentServiceModule {
  static async forAgent(name: AgentName, config: AetherConfig = loadConfig()): Promise<DynamicModule> {
    const agent = agentDescriptor(name);
    const platform = await hostImports(name, config, [agent]);
    const homeAssistantReadiness = agent.homeAssistant ? [(await import('./home-assistant-host.module')).homeAssistantReadinessCheck] : [];
    return {
      module: AgentServiceModule,
      imports: [
        ...platform,
        ...(agent.llm ? [LlmModule.forRoot({ chatModels: agent.llm === 'chat' })] : []),
        AgentRuntimeModule.forRoot({ self: name, calls: agent.calls as readonly AgentName[] }),
        A2aServerModule.forAgent(name),
      ],
      providers: [...homeAssistantReadiness, ...(agent.requires ? [provideAgentReachableCheck(agent.requires as AgentName)] : [])],
    };
  }
}
