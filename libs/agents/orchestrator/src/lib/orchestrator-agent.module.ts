import { Module } from '@nestjs/common';
import { OrchestratorAgent } from './orchestrator.agent';

/**
 * The orchestrator agent. Needs `ChatModelFactory` (the global `LlmModule`) and the clients of the
 * agents it routes to (`AgentRuntimeModule`); constructing it does no I/O.
 */
@Module({ providers: [OrchestratorAgent] })
export class OrchestratorAgentModule {}
