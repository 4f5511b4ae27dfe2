import type { AgentCardSpec } from '@aether/core';

const NOT_YET = 'Not available yet in this version of Aether (answers not_implemented).';

export const LIBRARIAN_CARD: AgentCardSpec = {
  name: 'librarian',
  description: 'Discovers what is in the Home Assistant home (entities, devices, areas, automations) and keeps a catalogue of it. ' + NOT_YET,
  skills: [
    {
      id: 'entity_discovery',
      name: 'Entity discovery',
      description: `Discover the entities, devices, areas, automations, scripts and scenes in Home Assistant. ${NOT_YET}`,
      tags: ['discovery', 'entities', 'devices', 'areas'],
      examples: ['What devices do I have in the kitchen?', 'Discover my home'],
    },
    {
      id: 'entity_sync',
      name: 'Entity sync',
      description: `Keep the catalogue in step with Home Assistant: added, updated and removed entities. ${NOT_YET}`,
      tags: ['sync', 'catalog', 'entities'],
      examples: ['Refresh the list of my devices'],
    },
  ],
};
