import { agentClientToken } from '@aether/agent-runtime';
import type { AgentClient } from '@aether/core';
import { Module } from '@nestjs/common';
import { ArchitectAgent } from './architect.agent';
import { HomeSummaryCache } from './catalog/home-summary';

/**
 * The Architect agent. Needs `ChatModelFactory` (the global `LlmModule`) and the clients of the
 * DS team and the Librarian (`AgentRuntimeModule`); constructing it does no I/O.
 */
@Module({
  providers: [
    ArchitectAgent,
    // One per process, so the summary is shared across conversations.
    { provide: HomeSummaryCache, inject: [agentClientToken('librarian')], useFactory: (librarian: AgentClient) => new HomeSummaryCache(librarian) },
  ],
})
export class ArchitectAgentModule {}
