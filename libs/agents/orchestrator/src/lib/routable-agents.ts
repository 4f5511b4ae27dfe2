import type { AgentName } from '@aether/core';

/** The agents the orchestrator routes chat requests to. */
export const ROUTABLE_AGENTS = ['architect', 'librarian', 'dashboard-designer'] as const satisfies readonly AgentName[];
export type RoutableAgent = (typeof ROUTABLE_AGENTS)[number];

/** The generalist: anything that is not clearly for a specialist goes here. */
export const DEFAULT_ROUTE: RoutableAgent = 'architect';

export function isRoutableAgent(value: unknown): value is RoutableAgent {
  return typeof value === 'string' && (ROUTABLE_AGENTS as readonly string[]).includes(value);
}

/** What each routable agent is for, as the classifier model reads it. */
export const ROUTE_DESCRIPTIONS: Readonly<Record<RoutableAgent, { description: string; examples: string[] }>> = {
  architect: {
    description:
      'The generalist for the home (the default): questions about the current state of the home (what is on, open or locked, temperatures), energy use and consumption, analysis of history and patterns, automations, scenes, scripts and device control.',
    examples: [
      'What lights are on?',
      'Is the front door locked?',
      'Analyze my energy usage over the last 7 days',
      'Turn off the kitchen lights at 23:00 every night',
      'Why is my heating using so much power?',
    ],
  },
  librarian: {
    description:
      'Discovery and inventory of the home: which devices, entities, areas and integrations exist in Home Assistant (not their current states).',
    examples: ['What devices do I have in the kitchen?', 'Discover my home', 'List all my sensors'],
  },
  'dashboard-designer': {
    description: 'Home Assistant dashboards (Lovelace): designing, laying out and changing dashboard views and cards.',
    examples: ['Make me a dashboard for the living room', 'Add an energy card to my Lovelace dashboard'],
  },
};


/**
 * The routable agent a model's spelling names, or undefined: case and spacing are ignored, and
 * "the librarian agent", "Dashboard Designer" or "dashboard_designer" are understood — models
 * capitalise names or write them as prose even when the schema lists an enum.
 */
export function normalizeAgentName(value: unknown): RoutableAgent | undefined {
  if (typeof value !== 'string') return undefined;
  const words = value
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word && word !== 'the' && word !== 'agent');
  const name = words.join('-');
  return isRoutableAgent(name) ? name : undefined;
}
