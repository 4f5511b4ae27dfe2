import { tool } from '@langchain/core/tools';
import { z } from 'zod';

/**
 * Tools shaped like Aether's real ones, for exercising the offline model's rules. Each records its
 * calls so tests can see what the agent loop actually invoked.
 */
export function createHomeTools() {
  const calls: Array<{ tool: string; args: Record<string, unknown> }> = [];

  const consultDataScienceTeam = tool(
    async (args) => {
      calls.push({ tool: 'consult_data_science_team', args });
      return `Energy report for the last ${args.hours} hours: total 182.4 kWh, peak at 18:00 (heat pump).`;
    },
    {
      name: 'consult_data_science_team',
      description:
        'Ask the data science team to analyse energy consumption, household behaviour patterns or device health from Home Assistant history.',
      schema: z.object({
        query: z.string().describe('What to analyse, in the user’s words'),
        hours: z.number().int().min(1).max(168).default(24).describe('Look-back window in hours'),
        specialists: z.array(z.enum(['energy', 'behavioral', 'diagnostic'])).optional().describe('Which analysts to ask'),
        depth: z.enum(['quick', 'standard', 'deep']).default('standard').describe('How thorough the analysis is'),
      }),
    },
  );

  const discoverEntities = tool(
    async (args) => {
      calls.push({ tool: 'discover_entities', args });
      return JSON.stringify({ discovered: 42, domains: { light: 12, sensor: 30 }, areas: ['kitchen', 'living room'] });
    },
    {
      name: 'discover_entities',
      description: 'Discover the devices and entities in Home Assistant and refresh the catalog.',
      schema: z.object({ domain_filter: z.string().optional().describe('Only this domain, e.g. light') }),
    },
  );

  const getEntityState = tool(
    async (args) => {
      calls.push({ tool: 'get_entity_state', args });
      return `${args.entity_id} is on (brightness 80%)`;
    },
    {
      name: 'get_entity_state',
      description: 'Get the current state and attributes of one entity.',
      schema: z.object({ entity_id: z.string().describe('Entity id, e.g. light.kitchen') }),
    },
  );

  return { calls, consultDataScienceTeam, discoverEntities, getEntityState, all: [consultDataScienceTeam, discoverEntities, getEntityState] };
}
