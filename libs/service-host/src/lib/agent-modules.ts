import type { Type } from '@nestjs/common';
import { addAgentRow, type AgentDescriptor, type AgentName } from '@aether/core';

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

const registeredLoaders = new Map<string, AgentModuleLoader>();

/**
 * Adds an agent that is not in `AGENT_TABLE` — one whose library lives outside this repository —
 * by the same two declarations: its row and the loader of its module (which provides its
 * `@AetherAgent`). Call it before the app module is built; from then on the process treats it like
 * any other agent (URL variable, routing, health, in-process or over A2A).
 */
export function registerAgent(row: AgentDescriptor, load: AgentModuleLoader): void {
  addAgentRow(row);
  registeredLoaders.set(row.name, load);
}

/** The loader of an agent's module. */
export function agentModuleLoader(name: AgentName): AgentModuleLoader {
  const loader = (AGENT_MODULE_LOADERS as Record<string, AgentModuleLoader>)[name] ?? registeredLoaders.get(name);
  if (!loader) throw new Error(`No module loader for the ${name} agent`);
  return loader;
}
