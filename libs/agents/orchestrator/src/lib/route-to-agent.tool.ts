import { z } from 'zod';
import { ROUTABLE_AGENTS } from './routable-agents';

export const ROUTE_TO_AGENT = 'route_to_agent';

export const routeToAgentSchema = z.object({
  agent: z.enum(ROUTABLE_AGENTS).describe('The agent that should handle the request.'),
  confidence: z.number().min(0).max(1).describe('How sure you are, from 0 to 1.'),
  reason: z.string().describe('One short sentence: why this agent.'),
});
export type RouteToAgentArgs = z.infer<typeof routeToAgentSchema>;

/**
 * The classifier's only tool. It is bound for its schema and never executed: the orchestrator
 * reads the call's arguments. Tool calling works with any OpenAI-compatible model, unlike
 * provider-specific JSON modes.
 */
export const routeToAgentTool = {
  name: ROUTE_TO_AGENT,
  description: 'Route the user request to the agent that should handle it. Call this exactly once.',
  schema: routeToAgentSchema,
};
