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
        'Design Home Assistant automations, scripts, scenes, helpers and one-off commands from a description of what should happen, using only entities and services the home has; each is saved as a proposal that changes nothing until a person approves it.',
      tags: ['automation', 'home-assistant', 'design'],
      examples: ['Create an automation that turns on the porch light at sunset', 'Turn off the kitchen light', 'Add a guest-mode toggle'],
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
      description: 'Refine a proposal on feedback, review an existing automation and propose an improved version, and turn analysts’ automation suggestions into proposals; deploying and rolling back an approved proposal is the Developer’s.',
      tags: ['proposals', 'approval', 'hitl'],
      examples: ['Make it 30 minutes after sunset', 'Review my porch light automation', 'Automate it'],
    },
  ],
};
