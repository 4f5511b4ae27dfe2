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
