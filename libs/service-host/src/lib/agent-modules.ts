import type { AgentName } from '@aether/core';
import { ArchitectAgentModule } from '@aether/agents/architect';
import { DashboardDesignerAgentModule } from '@aether/agents/dashboard-designer';
import { DeveloperAgentModule } from '@aether/agents/developer';
import { DsAnalystsAgentModule } from '@aether/agents/ds-analysts';
import { DsOrchestratorAgentModule } from '@aether/agents/ds-orchestrator';
import { LibrarianAgentModule } from '@aether/agents/librarian';
import { OrchestratorAgentModule } from '@aether/agents/orchestrator';

/**
 * Every process loads all seven agent modules (they are cheap: no I/O at construction), so that
 * whichever agents DEPLOYMENT_MODE keeps local can be run in-process.
 */
export const AGENT_MODULES = [
  OrchestratorAgentModule,
  ArchitectAgentModule,
  DsOrchestratorAgentModule,
  DsAnalystsAgentModule,
  DeveloperAgentModule,
  LibrarianAgentModule,
  DashboardDesignerAgentModule,
];

/** Agents whose domain code talks to Home Assistant (their services are not ready without it). */
export const HOME_ASSISTANT_AGENTS: readonly AgentName[] = ['ds-analysts', 'librarian'];

/** The agent each agent cannot work without (its service is not ready while that one is down). */
export const REQUIRED_DOWNSTREAM: Partial<Record<AgentName, AgentName>> = {
  orchestrator: 'architect',
  architect: 'ds-orchestrator',
  'ds-orchestrator': 'ds-analysts',
};
