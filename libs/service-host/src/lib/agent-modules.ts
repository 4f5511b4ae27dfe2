import type { Type } from '@nestjs/common';
import type { AgentName } from '@aether/core';

/** Loads one agent's Nest module (the module that provides its `@AetherAgent`). */
export type AgentModuleLoader = () => Promise<Type<unknown>>;

/**
 * Where each agent of `AGENT_TABLE` lives. Dynamic imports, so that a process loads only the agents
 * it serves (the bundler splits each agent into its own chunk): an agent service its own, the
 * gateway those DEPLOYMENT_MODE keeps local. A row added to the table without a loader here fails
 * to compile.
 */
export const AGENT_MODULE_LOADERS = {
  orchestrator: () => import('@aether/agents/orchestrator').then((m) => m.OrchestratorAgentModule),
  architect: () => import('@aether/agents/architect').then((m) => m.ArchitectAgentModule),
  'ds-orchestrator': () => import('@aether/agents/ds-orchestrator').then((m) => m.DsOrchestratorAgentModule),
  'ds-analysts': () => import('@aether/agents/ds-analysts').then((m) => m.DsAnalystsAgentModule),
  developer: () => import('@aether/agents/developer').then((m) => m.DeveloperAgentModule),
  librarian: () => import('@aether/agents/librarian').then((m) => m.LibrarianAgentModule),
  'dashboard-designer': () => import('@aether/agents/dashboard-designer').then((m) => m.DashboardDesignerAgentModule),
} satisfies Record<AgentName, AgentModuleLoader>;
