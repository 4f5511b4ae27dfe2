import {
  AgentError,
  automationDraftFromSuggestion,
  haSlugify,
  HELPER_DOMAINS,
  readDsTeamRecordResult,
  proposalSummary,
  readDeveloperOutcome,
  inToolSpan,
  truncate,
  type AgentClient,
  type AgentEvent,
  type CallContext,
  type DsTeamRecordRequest,
  type Insight,
  type Proposal,
  type ProposalDraftInput,
} from '@aether/core';
import { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { tool, type ToolRuntime } from 'langchain';
import { z } from 'zod';
import { TOOL_ARGS_PREVIEW_CHARS, TOOL_RESULT_PREVIEW_CHARS } from '../consult-data-science-team.tool';

export const PROPOSE_CONFIG = 'propose_config';
export const PROPOSE_ENTITY_COMMAND = 'propose_entity_command';
export const PROPOSE_HELPER = 'propose_helper';
export const GET_AUTOMATION_SUGGESTIONS = 'get_automation_suggestions';
export const PROPOSE_SUGGESTED_AUTOMATION = 'propose_suggested_automation';
export const GET_PENDING_PROPOSALS = 'get_pending_proposals';
/** Tools whose result is a proposal summary the user must see as it is. */
export const PROPOSAL_TOOL_NAMES = [PROPOSE_CONFIG, PROPOSE_ENTITY_COMMAND, PROPOSE_HELPER, PROPOSE_SUGGESTED_AUTOMATION] as const;
/** Drafts the Developer may refuse in one turn before the model must stop trying and explain. */
export const MAX_INVALID_DRAFTS = 3;

const revises = z.string().min(1).optional().describe('The id of the pending proposal this replaces (from get_pending_proposals).');
const title = z.string().min(1).describe('A short name, e.g. "Porch light at sunset".');
const description = z.string().describe('What it does, in one or two plain sentences for the person approving it.');

const CONFIG_KINDS = ['automation', 'script', 'scene'] as const;

// One tool for the three stored configs: three near-identical tool definitions cost the model
// ~400 prompt tokens more (the Architect's whole request must fit a small local model's context).
export const proposeConfigSchema = z.object({
  kind: z.enum(CONFIG_KINDS),
  title,
  description,
  config: z
    .record(z.string(), z.unknown())
    .describe(
      'The whole config as Home Assistant stores it (2024.10+ syntax), using only entity ids found with the catalog tools. ' +
        'automation: {alias, description, triggers: [{trigger: "sun", event: "sunset", offset: "-00:30:00"}], conditions: [], actions: [{action: "light.turn_on", target: {entity_id: "light.porch"}}], mode: "single"}; ' +
        'script: {alias, sequence: [...actions]}; scene: {name, entities: {"light.kitchen": {"state": "on"}}}. ' +
        'To change an existing automation, read it with get_automation_config and keep its "id".',
    ),
  revises,
});
export const proposeEntityCommandSchema = z.object({
  title: title.optional(),
  description: description.optional(),
  domain: z.string().regex(/^[a-z_]+$/).describe('The service domain, e.g. light, switch, climate, cover, lock.'),
  service: z.string().regex(/^[a-z_]+$/).describe('The service, e.g. turn_on, turn_off, toggle, set_temperature.'),
  entity_ids: z.array(z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/)).min(1).describe('The entity ids it acts on, found with the catalog tools.'),
  data: z.record(z.string(), z.unknown()).optional().describe('Service data, e.g. {"temperature": 21} or {"brightness_pct": 50}.'),
  revises,
});
export const proposeHelperSchema = z.object({
  title: title.optional(),
  description: description.optional(),
  domain: z.enum(HELPER_DOMAINS).describe('input_boolean is a toggle, input_select a dropdown.'),
  config: z
    .record(z.string(), z.unknown())
    .describe(
      'As Home Assistant stores it: {name, icon?, initial?} plus, for input_number {min, max, step?, unit_of_measurement?, mode: "slider"|"box"}; ' +
        'input_select {options}; input_text {min?, max?, pattern?}; input_datetime {has_date, has_time}.',
    ),
  id: z.string().regex(/^[a-z0-9_]+$/).optional().describe('Only to change an existing UI-made helper: its object id, with the whole new config.'),
  revises,
});
export type ProposeConfigArgs = z.infer<typeof proposeConfigSchema>;
export type ProposeHelperArgs = z.infer<typeof proposeHelperSchema>;
export type ProposeEntityCommandArgs = z.infer<typeof proposeEntityCommandSchema>;

export interface ProposalToolContext {
  developer: AgentClient;
  /** The DS orchestrator, which keeps the analysts' insights (their automation suggestions). */
  dataScienceTeam?: AgentClient;
  context: CallContext;
  signal: AbortSignal;
}

/**
 * The Architect's only way to change Home Assistant: each tool hands a draft to the Developer, which
 * checks it against HA's schema and the live home and stores it as a proposal waiting for the
 * person's approval — nothing is written to HA here. The result is the proposal's summary (with how
 * to approve it), or the Developer's list of errors for the model to fix (a few times per turn).
 */
export function createProposalTools(deps: ProposalToolContext): StructuredToolInterface[] {
  const attempts = { invalid: 0 };
  const propose = (name: string, toDraft: (args: never) => ProposalDraftInput, description: string, schema: z.ZodObject) =>
    tool(async (args: never, runtime: ToolRuntime) => proposeDraft(deps, attempts, name, toDraft(args), runtime), {
      name,
      description,
      schema,
      responseFormat: 'content_and_artifact',
    });
  const configDraft = (args: ProposeConfigArgs): ProposalDraftInput => {
    const { kind } = args;
    const named = String(args.config['id'] ?? args.config['alias'] ?? args.config['name'] ?? args.title);
    const haId = haSlugify(named) || haSlugify(args.title) || kind;
    // A script's key is its object id; automations and scenes carry their id in the config.
    const config = kind === 'script' ? args.config : { ...args.config, id: haId };
    return { kind, title: args.title, description: args.description, payload: { config }, haId, ...(args.revises ? { revises: args.revises } : {}) } as ProposalDraftInput;
  };
  return [
    propose(PROPOSE_CONFIG, configDraft as never, 'Propose a new or changed Home Assistant automation, script or scene for the user to approve. Nothing changes in HA until they approve.', proposeConfigSchema),
    propose(
      PROPOSE_ENTITY_COMMAND,
      ((args: ProposeEntityCommandArgs): ProposalDraftInput<'entity_command'> => ({
        kind: 'entity_command',
        title: args.title ?? `${args.domain}.${args.service} on ${args.entity_ids.join(', ')}`,
        description: args.description ?? '',
        payload: { domain: args.domain, service: args.service, entityIds: args.entity_ids, ...(args.data ? { data: args.data } : {}) },
        haId: args.entity_ids.join(','),
        ...(args.revises ? { revises: args.revises } : {}),
      })) as never,
      'Propose a one-off command ("turn off the kitchen light", "set the living room temperature") for the user to approve. It runs only once they approve it.',
      proposeEntityCommandSchema,
    ),
    propose(
      PROPOSE_HELPER,
      ((args: ProposeHelperArgs): ProposalDraftInput<'helper'> => {
        const name = String(args.config['name'] ?? args.title ?? '');
        return {
          kind: 'helper',
          title: args.title ?? `${args.id ? 'Change' : 'Create'} the ${args.domain.replace('input_', '')} helper ${name}`,
          description: args.description ?? '',
          payload: { domain: args.domain, config: args.config, ...(args.id ? { id: args.id } : {}) },
          // The id HA will give a new helper: its name slugified (the Developer checks it is free).
          haId: args.id ?? haSlugify(name),
          ...(args.revises ? { revises: args.revises } : {}),
        };
      }) as never,
      'Propose a helper (toggle, number, dropdown, text, date/time, button) or a change to a UI-made one, for the user to approve. It is created only once they approve it.',
      proposeHelperSchema,
    ),
    ...(deps.dataScienceTeam ? suggestionTools(deps, attempts) : []),
    tool(
      async (_args: Record<string, never>, runtime: ToolRuntime) => {
        const outcome = await callDeveloper(deps, runtime, { action: 'list', status: 'proposed', conversationId: deps.context.conversationId });
        const proposals = 'proposals' in outcome ? outcome.proposals : [];
        const text = proposals.length === 0 ? 'No proposal of this conversation is waiting for approval.' : proposals.map((proposal) => proposalSummary(proposal)).join('\n\n---\n\n');
        return [text, proposals] as [string, Proposal[]];
      },
      {
        name: GET_PENDING_PROPOSALS,
        description: 'The proposals of this conversation that wait for approval, newest first, with their ids and configs. Use it when the user asks to change a proposal, then propose the changed version with revises.',
        schema: z.object({}),
        responseFormat: 'content_and_artifact',
      },
    ),
  ];
}

function proposeDraft(deps: ProposalToolContext, attempts: { invalid: number }, name: string, draft: ProposalDraftInput, runtime: ToolRuntime): Promise<[string, Proposal] | [ToolMessage, undefined]> {
  return inToolSpan('architect', name, async () => {
    const emit = (event: AgentEvent) => runtime.writer?.(event);
    emit({ type: 'tool_start', agent: 'architect', tool: name, args: truncate(JSON.stringify(draft), TOOL_ARGS_PREVIEW_CHARS) });
    if (attempts.invalid >= MAX_INVALID_DRAFTS) {
      const text = `Not proposed: ${MAX_INVALID_DRAFTS} drafts were refused in this turn. Do not try again; tell the user what could not be made valid and why.`;
      emit({ type: 'tool_end', agent: 'architect', tool: name, result: text });
      return refusal(name, text, text, runtime);
    }
    try {
      const outcome = await callDeveloper(deps, runtime, { action: 'propose', draft }, emit);
      if (!('proposal' in outcome)) throw new AgentError('upstream_error', 'The developer answered a proposal with no proposal.', 'developer');
      const text = proposalSummary(outcome.proposal);
      emit({ type: 'tool_end', agent: 'architect', tool: name, result: truncate(text, TOOL_RESULT_PREVIEW_CHARS) });
      return [text, outcome.proposal];
    } catch (error) {
      if (!(error instanceof AgentError) || error.code !== 'invalid_input') {
        emit({ type: 'tool_end', agent: 'architect', tool: name, result: truncate(`Error: ${error instanceof Error ? error.message : String(error)}`, TOOL_RESULT_PREVIEW_CHARS) });
        throw error;
      }
      attempts.invalid += 1;
      const left = MAX_INVALID_DRAFTS - attempts.invalid;
      const text = `${error.message}\n${left > 0 ? `Fix these and call ${name} again (${left} attempt${left === 1 ? '' : 's'} left), or tell the user what cannot be done.` : 'Do not try again; tell the user what could not be made valid and why.'}`;
      emit({ type: 'tool_end', agent: 'architect', tool: name, result: truncate(text, TOOL_RESULT_PREVIEW_CHARS) });
      return refusal(name, text, error.message, runtime);
    }
  });
}

/**
 * A refused draft as an error result: the model reads the reasons and the advice on retrying, but
 * a refusal is no proposal summary, so it is never appended to the user's answer as one. (LangChain
 * passes a ToolMessage through as the tool's result; `errors` keeps the Developer's reasons alone.)
 */
function refusal(name: string, text: string, errors: string, runtime: ToolRuntime): [ToolMessage, undefined] {
  return [new ToolMessage({ status: 'error', content: text, artifact: { errors }, tool_call_id: runtime.toolCallId, name }), undefined];
}

/**
 * The analysts' automation suggestions of this conversation ("automate it" after "What could I
 * automate?"): a read-only list, and the tool that proposes one as it was suggested — through the
 * Developer like any draft — and then records the insight as acted on.
 */
function suggestionTools(deps: ProposalToolContext, attempts: { invalid: number }): StructuredToolInterface[] {
  const records = async (data: DsTeamRecordRequest, runtime: ToolRuntime) => {
    const request = { message: data.action, history: [], data: data as unknown as Record<string, unknown>, context: deps.context };
    const { data: result } = await deps.dataScienceTeam!.send(request, { signal: runtime.signal ?? deps.signal });
    return readDsTeamRecordResult(result, 'ds-orchestrator');
  };
  return [
    tool(
      async (_args: Record<string, never>, runtime: ToolRuntime) => {
        const outcome = await records({ action: 'list_insights', conversationId: deps.context.conversationId }, runtime);
        const suggested = ('insights' in outcome ? outcome.insights : []).filter((insight) => insight.automationSuggestion && insight.status !== 'dismissed');
        const text =
          suggested.length === 0
            ? 'The data science team suggested no automation in this conversation.'
            : suggested.map((insight) => `- ${insight.id}: ${insight.title} → ${insight.automationSuggestion!.alias}`).join('\n');
        return [text, suggested] as [string, Insight[]];
      },
      {
        name: GET_AUTOMATION_SUGGESTIONS,
        description: 'The automations the data science team suggested in this conversation (from its findings), newest first, with their insight ids. Use it when the user asks to automate what the team found ("automate it", "automate the porch light").',
        schema: z.object({}),
        responseFormat: 'content_and_artifact',
      },
    ),
    tool(
      async (args: { insight_id: string }, runtime: ToolRuntime) => {
        const found = await records({ action: 'get_insight', insightId: args.insight_id }, runtime);
        if (!('insight' in found) || !found.insight.automationSuggestion) {
          return refusal(PROPOSE_SUGGESTED_AUTOMATION, `There is no automation suggestion ${args.insight_id} in your insights.`, `No automation suggestion ${args.insight_id}.`, runtime);
        }
        const proposed = await proposeDraft(deps, attempts, PROPOSE_SUGGESTED_AUTOMATION, automationDraftFromSuggestion(found.insight.automationSuggestion), runtime);
        if (proposed[1]) await records({ action: 'set_insight_status', insightId: args.insight_id, status: 'acted_on' }, runtime);
        return proposed;
      },
      {
        name: PROPOSE_SUGGESTED_AUTOMATION,
        description: 'Propose, for the user to approve, the automation the data science team suggested in an insight (its id from get_automation_suggestions), exactly as suggested. Nothing changes in HA until they approve.',
        schema: z.object({ insight_id: z.string().min(1).describe('The insight whose automation suggestion to propose.') }),
        responseFormat: 'content_and_artifact',
      },
    ),
  ];
}

async function callDeveloper(deps: ProposalToolContext, runtime: ToolRuntime, data: Record<string, unknown>, emit?: (event: AgentEvent) => void) {
  let result: Record<string, unknown> = {};
  const events = deps.developer.stream({ message: String(data['action']), history: [], data, context: deps.context }, { signal: runtime.signal ?? deps.signal });
  for await (const event of events) {
    if (event.type === 'result') result = { ...result, ...event.data };
    else if (event.type !== 'token' && event.type !== 'agent_start' && event.type !== 'agent_end') emit?.(event);
  }
  return readDeveloperOutcome(result, 'developer');
}
