import { Module } from '@nestjs/common';
import { DsOrchestratorAgent } from './ds-orchestrator.agent';

/** The DS orchestrator agent. Needs the `ds-analysts` client (`AgentRuntimeModule`) and the `InsightStore` (`PersistenceModule`); constructing it does no I/O. */
@Module({ providers: [DsOrchestratorAgent] })
export class DsOrchestratorAgentModule {}
