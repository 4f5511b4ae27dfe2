import type { AgentCardSpec } from '@aether/core';

export const ORCHESTRATOR_CARD: AgentCardSpec = {
  name: 'orchestrator',
  description: "Aether's entry agent: classifies what the user wants and hands the request to the right agent, streaming that agent's answer back.",
  skills: [
    {
      id: 'intent_classification',
      name: 'Intent classification',
      description: 'Classify a chat request by intent (home and energy questions, discovery of devices, dashboards) with a confidence and a reason.',
      tags: ['routing', 'intent', 'classification'],
      examples: ['Analyze my energy usage', 'What devices do I have in the kitchen?', 'Make me a dashboard'],
    },
    {
      id: 'agent_routing',
      name: 'Agent routing',
      description: "Route the request to the Architect, Librarian or Dashboard Designer and stream that agent's answer and progress back unchanged.",
      tags: ['routing', 'delegation', 'streaming'],
      examples: ['Discover my home', 'Design a Lovelace view for the living room'],
    },
  ],
};
