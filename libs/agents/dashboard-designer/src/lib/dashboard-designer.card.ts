import type { AgentCardSpec } from '@aether/core';

export const DASHBOARD_DESIGNER_CARD: AgentCardSpec = {
  name: 'dashboard-designer',
  description:
    'Designs Home Assistant Lovelace dashboards (an area, energy, security, climate) from the catalog, with only entities the home has and card types HA ships, and proposes them; they are deployed through the Developer once a person approves.',
  skills: [
    {
      id: 'dashboard_design',
      name: 'Dashboard design',
      description: 'Builds a sections-view Lovelace dashboard for an area of the home or for its energy (HA energy cards fitting its energy prefs), security or climate, as a proposal waiting for approval.',
      tags: ['dashboard', 'lovelace', 'ui'],
      examples: ['Make me a dashboard for the living room', 'Design a dashboard for my energy'],
    },
    {
      id: 'dashboard_deployment',
      name: 'Dashboard deployment',
      description: 'An approved dashboard is saved to Home Assistant by the Developer (created when its url path is new), keeping the previous config for rollback.',
      tags: ['dashboard', 'deployment', 'lovelace'],
      examples: ['approve', 'roll back'],
    },
  ],
};
