import type { AgentCardSpec } from '@aether/core';

export const DS_ORCHESTRATOR_CARD: AgentCardSpec = {
  name: 'ds-orchestrator',
  description:
    'Leads the data science team: picks the energy, behavioral and diagnostic analysts and the custom analysis a question needs, runs them in parallel or in turn and synthesises one team report. Optional data: hours (1–8784) or period, specialists, strategy, depth.',
  skills: [
    {
      id: 'team_analysis',
      name: 'Team analysis',
      description: 'Coordinate the energy, behavioral and diagnostic analysts and the custom analysis on a question about the home, in parallel or in turn, over a chosen time window.',
      tags: ['analysis', 'data-science', 'energy', 'behavior', 'diagnostics'],
      examples: ['Analyze my energy usage over the last 7 days', 'Why did my consumption spike yesterday?'],
    },
    {
      id: 'synthesis',
      name: 'Synthesis',
      description: "Combine the specialists' findings into a consensus, conflicts and ranked recommendations.",
      tags: ['synthesis', 'recommendations'],
      examples: ['Summarise what the analysts found and what I should do first'],
    },
  ],
};
