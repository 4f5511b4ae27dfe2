import type { AgentCardSpec } from '@aether/core';

const NOT_YET = 'Not available yet in this version of Aether (answers not_implemented).';

export const DEVELOPER_CARD: AgentCardSpec = {
  name: 'developer',
  description: 'Deploys human-approved automation proposals to Home Assistant, with a config snapshot for rollback. ' + NOT_YET,
  skills: [
    {
      id: 'automation_deployment',
      name: 'Automation deployment',
      description: `Deploy an APPROVED automation proposal to Home Assistant, snapshotting the previous configuration. ${NOT_YET}`,
      tags: ['deployment', 'automation', 'home-assistant'],
      examples: ['Deploy the approved proposal for the hallway lights'],
    },
    {
      id: 'rollback',
      name: 'Rollback',
      description: `Restore the configuration saved before a deployment, or disable the deployed automation. ${NOT_YET}`,
      tags: ['rollback', 'automation'],
      examples: ['Roll back the last deployed automation'],
    },
    {
      id: 'yaml_generation',
      name: 'YAML generation',
      description: `Render a proposal as Home Assistant automation YAML with an Aether header. ${NOT_YET}`,
      tags: ['yaml', 'automation'],
      examples: ['Show the YAML that would be deployed for this proposal'],
    },
  ],
};
