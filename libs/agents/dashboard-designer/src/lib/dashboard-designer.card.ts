import type { AgentCardSpec } from '@aether/core';

const NOT_YET = 'Not available yet in this version of Aether (answers not_implemented).';

export const DASHBOARD_DESIGNER_CARD: AgentCardSpec = {
  name: 'dashboard-designer',
  description: 'Designs Home Assistant Lovelace dashboards and deploys them after approval. ' + NOT_YET,
  skills: [
    {
      id: 'dashboard_design',
      name: 'Dashboard design',
      description: `Generate Lovelace dashboard views and cards per area or topic. ${NOT_YET}`,
      tags: ['dashboard', 'lovelace', 'ui'],
      examples: ['Make me a dashboard for the living room', 'Design an energy dashboard'],
    },
    {
      id: 'dashboard_deployment',
      name: 'Dashboard deployment',
      description: `Deploy an approved dashboard to Home Assistant, keeping the previous one for rollback. ${NOT_YET}`,
      tags: ['dashboard', 'deployment', 'lovelace'],
      examples: ['Deploy the approved kitchen dashboard'],
    },
  ],
};
