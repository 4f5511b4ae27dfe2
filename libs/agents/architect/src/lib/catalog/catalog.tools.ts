import { inToolSpan, truncate, type AgentClient, type AgentEvent, type CallContext, type CatalogOp } from '@aether/core';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { tool, type ToolRuntime } from 'langchain';
import { z } from 'zod';
import { TOOL_ARGS_PREVIEW_CHARS, TOOL_RESULT_PREVIEW_CHARS } from '../consult-data-science-team.tool';
import {
  MAX_LISTED_ITEMS,
  renderAutomationConfig,
  renderAutomations,
  renderDomainSummary,
  renderEntityList,
  renderEntityState,
} from './catalog-text.renderer';
import { queryCatalog, type CatalogQueryOf, type CatalogResultOf } from './librarian-catalog.client';

export const SEARCH_ENTITIES = 'search_entities';
export const GET_ENTITY_STATE = 'get_entity_state';
export const LIST_ENTITIES_BY_DOMAIN = 'list_entities_by_domain';
export const GET_DOMAIN_SUMMARY = 'get_domain_summary';
export const LIST_AUTOMATIONS = 'list_automations';
export const GET_AUTOMATION_CONFIG = 'get_automation_config';

export const CATALOG_TOOL_NAMES = [SEARCH_ENTITIES, GET_ENTITY_STATE, LIST_ENTITIES_BY_DOMAIN, GET_DOMAIN_SUMMARY, LIST_AUTOMATIONS, GET_AUTOMATION_CONFIG] as const;
export type CatalogToolName = (typeof CATALOG_TOOL_NAMES)[number];

/** Most entities one list query asks the Librarian for (the total is always reported). */
export const MAX_ENTITY_LIMIT = 200;

const domain = z
  .string()
  .regex(/^[a-z_]+$/, 'a Home Assistant domain such as light, sensor or climate')
  .describe('Home Assistant domain, e.g. light, switch, sensor, binary_sensor, climate, lock, cover.');
const area = z.string().min(1).optional().describe('Only entities in this area (area name, e.g. "Kitchen").');
const limit = z.number().int().min(1).max(MAX_ENTITY_LIMIT).optional().describe(`How many entities to return (default ${MAX_LISTED_ITEMS}).`);

export const searchEntitiesSchema = z.object({
  query: z.string().min(1).describe('Words to look for in entity ids, names, areas and device names, e.g. "front door" or "bedroom temperature".'),
  domain: domain.optional(),
  area,
  limit,
});
export const getEntityStateSchema = z.object({
  // Named as Home Assistant names it: models trained on HA's API write entity_id.
  entity_id: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'an entity id such as light.kitchen').describe('The entity id, e.g. lock.front_door.'),
});
export const listEntitiesByDomainSchema = z.object({
  domain,
  stateFilter: z.string().min(1).optional().describe('Only entities currently in this state (e.g. "on", "off", "open", "locked"); read live from Home Assistant.'),
  area,
  limit,
});
export const getDomainSummarySchema = z.object({ domain });
export const listAutomationsSchema = z.object({});
export const getAutomationConfigSchema = z.object({
  automation: z.string().min(1).describe('The automation entity id (automation.x) or its Home Assistant config id.'),
});

/** What every catalog tool needs: the Librarian's client and the call it belongs to. */
export interface CatalogToolContext {
  librarian: AgentClient;
  context: CallContext;
  signal: AbortSignal;
}

interface CatalogToolSpec<S extends z.ZodObject, Op extends CatalogOp> {
  name: CatalogToolName;
  op: Op;
  description: string;
  schema: S;
  toQuery: (args: z.infer<S>) => CatalogQueryOf<Op>;
  render: (result: CatalogResultOf<Op>, query: CatalogQueryOf<Op>) => string;
}

/**
 * One catalog query as a LangChain tool. The model gets compact text (one line per entity, capped);
 * the structured result travels as the tool message's artifact, which the offline model answers
 * from. Librarian failures become error tool results the model reads (see `queryCatalog`).
 */
function catalogTool<S extends z.ZodObject, Op extends CatalogOp>(deps: CatalogToolContext, spec: CatalogToolSpec<S, Op>) {
  return tool(
    (args: z.infer<S>, runtime: ToolRuntime) =>
      inToolSpan('architect', spec.name, async () => {
        const emit = (event: AgentEvent) => runtime.writer?.(event);
        emit({ type: 'tool_start', agent: 'architect', tool: spec.name, args: truncate(JSON.stringify(args), TOOL_ARGS_PREVIEW_CHARS) });
        const query = withoutUndefined(spec.toQuery(args));
        let text: string;
        let result: CatalogResultOf<Op>;
        try {
          result = await queryCatalog(deps.librarian, query, deps.context, runtime.signal ?? deps.signal);
          text = spec.render(result, query);
        } catch (error) {
          emit({ type: 'tool_end', agent: 'architect', tool: spec.name, result: truncate(`Error: ${error instanceof Error ? error.message : String(error)}`, TOOL_RESULT_PREVIEW_CHARS) });
          throw error;
        }
        emit({ type: 'tool_end', agent: 'architect', tool: spec.name, result: truncate(text, TOOL_RESULT_PREVIEW_CHARS) });
        return [text, result] as [string, CatalogResultOf<Op>];
      }),
    { name: spec.name, description: spec.description, schema: spec.schema, responseFormat: 'content_and_artifact' },
  );
}

/** The Architect's six read-only catalog tools, answered by the Librarian. */
export function createCatalogTools(deps: CatalogToolContext): StructuredToolInterface[] {
  return [
    catalogTool(deps, {
      name: SEARCH_ENTITIES,
      op: 'search_entities',
      description:
        'Find entities of the home by words (name, id, area, device), optionally within a domain or area, to learn their entity ids. States are from the catalog snapshot.',
      schema: searchEntitiesSchema,
      toQuery: (args) => ({ op: 'search_entities', query: args.query, domain: args.domain, area: args.area, limit: args.limit ?? MAX_LISTED_ITEMS }),
      render: renderEntityList,
    }),
    catalogTool(deps, {
      name: GET_ENTITY_STATE,
      op: 'get_entity_state',
      description: 'The current state of one entity, read live from Home Assistant, with its attributes (units, brightness, temperature…), area and device.',
      schema: getEntityStateSchema,
      toQuery: (args) => ({ op: 'get_entity_state', entityId: args.entity_id }),
      render: (result, query) => renderEntityState(result, query.entityId),
    }),
    catalogTool(deps, {
      name: LIST_ENTITIES_BY_DOMAIN,
      op: 'list_entities_by_domain',
      description:
        'List the entities of one domain, optionally in one area. With stateFilter the states are read live from Home Assistant.',
      schema: listEntitiesByDomainSchema,
      toQuery: (args) => ({
        op: 'list_entities_by_domain',
        domain: args.domain,
        stateFilter: args.stateFilter,
        area: args.area,
        limit: args.limit ?? MAX_LISTED_ITEMS,
      }),
      render: renderEntityList,
    }),
    catalogTool(deps, {
      name: GET_DOMAIN_SUMMARY,
      op: 'get_domain_summary',
      description: 'How many entities a domain has, how many are in each state and in which areas they are.',
      schema: getDomainSummarySchema,
      toQuery: (args) => ({ op: 'get_domain_summary', domain: args.domain }),
      render: renderDomainSummary,
    }),
    catalogTool(deps, {
      name: LIST_AUTOMATIONS,
      op: 'list_automations',
      description: "The home's automations: entity id, alias, on/off, mode, trigger types and when each last ran.",
      schema: listAutomationsSchema,
      toQuery: () => ({ op: 'list_automations' }),
      render: renderAutomations,
    }),
    catalogTool(deps, {
      name: GET_AUTOMATION_CONFIG,
      op: 'get_automation_config',
      description: "One automation's full configuration (triggers, conditions, actions), by entity id or config id.",
      schema: getAutomationConfigSchema,
      toQuery: (args) => ({ op: 'get_automation_config', automation: args.automation }),
      render: (result, query) => renderAutomationConfig(result, query.automation),
    }),
  ];
}

/** Optional fields the model left out are left out of the query too (not sent as `undefined`). */
function withoutUndefined<T extends object>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as T;
}
