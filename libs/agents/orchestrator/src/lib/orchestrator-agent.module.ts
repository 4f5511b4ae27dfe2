import { agentClientToken } from '@aether/agent-runtime';
import type { AgentClient } from '@aether/core';
import { Module } from '@nestjs/common';
import { HomeTimeZoneCache } from './home-time-zone';
import { OrchestratorAgent } from './orchestrator.agent';

/**
 * The orchestrator agent. Needs `ChatModelFactory` (the global `LlmModule`) and the clients of the
 * agents it routes to (`AgentRuntimeModule`); constructing it does no I/O.
 */
@Module({
  providers: [
    OrchestratorAgent,
    // One per process, so the home's zone is shared across conversations.
    { provide: HomeTimeZoneCache, inject: [agentClientToken('librarian')], useFactory: (librarian: AgentClient) => new HomeTimeZoneCache(librarian) },
  ],
})
export class OrchestratorAgentModule {}
