import type { AgentName } from './agent-names';

/** One A2A skill as listed on an agent card. */
export interface AgentSkillSpec {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
}

/** What an agent says about itself on its A2A card. */
export interface AgentCardSpec {
  name: AgentName;
  description: string;
  skills: AgentSkillSpec[];
}

/**
 * DI token under which an agent library's Nest module provides its domain `Agent`.
 * A plain string so that libraries without Nest can name it.
 */
export function agentProviderToken(name: AgentName): string {
  return `aether.agent.${name}`;
}

/** DI token under which an agent library's Nest module provides its `AgentCardSpec`. */
export function agentCardToken(name: AgentName): string {
  return `aether.agent-card.${name}`;
}
