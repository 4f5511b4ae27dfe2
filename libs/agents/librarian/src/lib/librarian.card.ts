import type { AgentCardSpec } from '@aether/core';

export const LIBRARIAN_CARD: AgentCardSpec = {
  name: 'librarian',
  description:
    'Discovers what is in the Home Assistant home (entities, devices, areas, floors, automations, scripts, scenes), keeps a catalogue of it in step with Home Assistant, and answers questions about it. Other agents query the catalogue with structured catalog requests. Read-only: it never changes Home Assistant.',
  skills: [
    {
      id: 'entity_discovery',
      name: 'Entity discovery',
      description: 'Full discovery of the entities, devices, areas, floors, automations (with their config), scripts and scenes in Home Assistant, with added/updated/removed counts; answers questions about them.',
      tags: ['discovery', 'entities', 'devices', 'areas'],
      examples: ['What devices do I have in the kitchen?', 'Discover my home', 'How many lights are there?'],
    },
    {
      id: 'entity_sync',
      name: 'Entity sync',
      description: "Keeps the catalogue in step with Home Assistant's live entity stream: added, updated and removed entities, in batches.",
      tags: ['sync', 'catalog', 'entities'],
      examples: ['Refresh the list of my devices'],
    },
  ],
};
