import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LocalAgentRegistry } from './local-agent.registry';

/**
 * Holds the process-wide `LocalAgentRegistry`. Both `AgentRuntimeModule` and `A2aServerModule`
 * import it; as a static module Nest instantiates it once, so the agent service and the in-process
 * clients share one request handler per agent.
 */
@Global()
@Module({ imports: [DiscoveryModule], providers: [LocalAgentRegistry], exports: [LocalAgentRegistry] })
export class LocalAgentsModule {}
