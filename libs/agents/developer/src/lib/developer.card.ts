import type { AgentCardSpec } from '@aether/core';

export const DEVELOPER_CARD: AgentCardSpec = {
  name: 'developer',
  description:
    'Owns proposals: checks drafts against Home Assistant (schema, live entities and services, risk), stores them for a person to approve, deploys only approved ones (with a snapshot of what they replace) and rolls them back.',
  skills: [
    {
      id: 'automation_deployment',
      name: 'Proposal deployment',
      description:
        'Deploy an APPROVED proposal to Home Assistant — an automation, script or scene through its config API, a helper or a dashboard over the WebSocket API, or a one-off service call — snapshotting what it replaces and checking that the result is live.',
      tags: ['deployment', 'automation', 'home-assistant'],
      examples: ['Deploy the approved proposal for the hallway lights'],
    },
    {
      id: 'rollback',
      name: 'Rollback',
      description: 'Restore what a deployed proposal replaced (the previous config or states), or remove what it created.',
      tags: ['rollback', 'automation'],
      examples: ['Roll back the last deployed automation'],
    },
    {
      id: 'yaml_generation',
      name: 'Draft review',
      description: "Check a draft against Home Assistant's schema and the live home (unknown entities and services), mark what touches locks, alarms or entrance covers as high risk, and store it as a proposal.",
      tags: ['validation', 'automation'],
      examples: ['Propose an automation that turns on the porch light at sunset'],
    },
  ],
};
