import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { LocalAgentsModule } from '@aether/a2a';
import { knownAgents, type AgentClient } from '@aether/core';
import { AgentDirectory } from './agent-directory.service';
import { AGENT_RUNTIME_OPTIONS, type AgentRuntimeOptions } from './agent-runtime.options';
import { agentClientToken } from './inject-agent.decorator';

/**
 * The DEPLOYMENT_MODE provider (global): `AgentDirectory` plus an `AgentClient` under
 * `agentClientToken(name)` (inject with `@InjectAgent(name)`) for each agent the process calls
 * (`options.calls`; every agent by default, as the gateway may be asked for any). Needs
 * `AetherConfigModule`. Local agents are the `@AetherAgent` providers of the modules the app imports; each is reached
 * through the same request handler its A2A service (if this process runs one) uses.
 */
@Module({})
export class AgentRuntimeModule {
  static forRoot(options: AgentRuntimeOptions = {}): DynamicModule {
    const clients: FactoryProvider<AgentClient>[] = (options.calls ?? knownAgents().map((agent) => agent.name)).map((name) => ({
      provide: agentClientToken(name),
      // Clients resolve their agent on first call, so agents may inject each other's clients.
      useFactory: (directory: AgentDirectory) => directory.client(name),
      inject: [AgentDirectory],
    }));
    return {
      module: AgentRuntimeModule,
      global: true,
      imports: [LocalAgentsModule],
      providers: [{ provide: AGENT_RUNTIME_OPTIONS, useValue: options }, AgentDirectory, ...clients],
      exports: [AgentDirectory, ...clients.map((client) => client.provide)],
    };
  }
}
