import type { AgentCardSpec } from '@aether/core';

export const ARCHITECT_CARD: AgentCardSpec = {
  name: 'architect',
  description:
    "Aether's main conversational agent for a Home Assistant home: answers questions about the home, its current state and its energy use, reading the Librarian's catalog and consulting the data science team for analysis.",
  skills: [
    {
      id: 'automation_design',
      name: 'Automation design',
      description:
        'Design Home Assistant automations, scripts and scenes from a description of what should happen, grounded in the home’s analysis (with a configured LLM; saving them as proposals is not available yet in this version of Aether).',
      tags: ['automation', 'home-assistant', 'design'],
      examples: ['Turn the hallway lights on when someone arrives after sunset', 'Could an automation reduce my heating costs?'],
    },
    {
      id: 'entity_queries',
      name: 'Home questions and analysis',
      description:
        'Answer questions about the home, its devices, their current states and its automations (from the Librarian’s catalog, states read live from Home Assistant) and about its energy use (with the data science team’s computed figures). Read-only.',
      tags: ['home-assistant', 'entities', 'state', 'energy', 'analysis', 'questions'],
      examples: ['What lights are on?', 'Is the front door locked?', 'Analyze my energy usage over the last 7 days', 'Which device uses the most electricity?'],
    },
    {
      id: 'proposal_management',
      name: 'Proposal management',
      description: 'Create, review, and deploy automation proposals with HITL approval. Not available yet in this version of Aether.',
      tags: ['proposals', 'approval', 'hitl'],
      examples: ['Show me the proposals waiting for approval'],
    },
  ],
};
