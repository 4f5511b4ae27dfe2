import { ANALYSIS_DEPTHS, ANALYSIS_STRATEGIES, ANALYSIS_WINDOW_HOURS, CALENDAR_PERIODS, MONTH_NAMES, SPECIALISTS, YEAR_MONTH_PATTERN, inToolSpan, truncate, type AgentClient, type AgentEvent, type CallContext } from '@aether/core';
import { tool, type ToolRuntime } from 'langchain';
import { z } from 'zod';

export const CONSULT_DATA_SCIENCE_TEAM = 'consult_data_science_team';
/** Longest arguments / result shown in tool_start / tool_end events. */
export const TOOL_ARGS_PREVIEW_CHARS = 200;
export const TOOL_RESULT_PREVIEW_CHARS = 500;

export const consultDataScienceTeamSchema = z.object({
  query: z.string().min(1).describe("The question, normally the user's own words."),
  hours: z
    .number()
    .min(ANALYSIS_WINDOW_HOURS.min)
    .max(ANALYSIS_WINDOW_HOURS.max)
    .optional()
    .describe(
      `A rolling window in hours ending now (168: "the last 7 days"). Default: the period the query names, else each analyst's own.`,
    ),
  period: z
    .union([z.enum([...CALENDAR_PERIODS, ...MONTH_NAMES]), z.string().regex(YEAR_MONTH_PATTERN)])
    .optional()
    .describe(
      "A calendar period in the home's time zone instead of hours (a month: its name or YYYY-MM). Never with hours.",
    ),
  specialists: z
    .array(z.enum(SPECIALISTS))
    .optional()
    .describe('Default: chosen from the query.'),
  strategy: z
    .enum(ANALYSIS_STRATEGIES)
    .optional()
    .describe('parallel (default), or teamwork for questions spanning several areas (analysts in turn, then a discussion round).'),
  depth: z
    .enum(ANALYSIS_DEPTHS)
    .optional()
    .describe('Discussion round: quick never, standard (default) when the analysts disagree, deep always.'),
});
export type ConsultDataScienceTeamArgs = z.infer<typeof consultDataScienceTeamSchema>;

/**
 * The Architect's tool for analysis questions: streams the DS Orchestrator, forwards every
 * non-token event into the Architect's own stream as it arrives (through LangGraph's custom stream
 * writer) and returns the team's report text as the tool result. An `AgentError` from the team is
 * rethrown so that the Architect's run fails with it (see `propagateAgentErrors`).
 */
export function createConsultDataScienceTeamTool(dataScienceTeam: AgentClient, context: CallContext, runSignal: AbortSignal) {
  return tool(
    (args: ConsultDataScienceTeamArgs, runtime: ToolRuntime) =>
      inToolSpan('architect', CONSULT_DATA_SCIENCE_TEAM, async () => {
        const emit = (event: AgentEvent) => runtime.writer?.(event);
        emit({ type: 'tool_start', agent: 'architect', tool: CONSULT_DATA_SCIENCE_TEAM, args: truncate(JSON.stringify(args), TOOL_ARGS_PREVIEW_CHARS) });
        emit({ type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: truncate(args.query, TOOL_ARGS_PREVIEW_CHARS) });
        let report = '';
        try {
          const data = {
            ...(args.hours !== undefined ? { hours: args.hours } : {}),
            ...(args.period !== undefined ? { period: args.period } : {}),
            ...(args.specialists ? { specialists: args.specialists } : {}),
            ...(args.strategy ? { strategy: args.strategy } : {}),
            ...(args.depth ? { depth: args.depth } : {}),
            // The Architect sums the report up in its own words: the team's would be a second one.
            synthesis: 'programmatic',
          };
          const events = dataScienceTeam.stream({ message: args.query, history: [], data, context }, { signal: runtime.signal ?? runSignal });
          for await (const event of events) {
            if (event.type === 'token') report += event.content;
            else emit(event);
          }
        } catch (error) {
          emit({ type: 'tool_end', agent: 'architect', tool: CONSULT_DATA_SCIENCE_TEAM, result: truncate(`Error: ${errorMessage(error)}`, TOOL_RESULT_PREVIEW_CHARS) });
          throw error;
        }
        const result = report.trim() || 'The data science team returned no report.';
        emit({ type: 'tool_end', agent: 'architect', tool: CONSULT_DATA_SCIENCE_TEAM, result: truncate(result, TOOL_RESULT_PREVIEW_CHARS) });
        return result;
      }),
    {
      name: CONSULT_DATA_SCIENCE_TEAM,
      description:
        "Ask Aether's data science team to analyse the home's Home Assistant history: energy and costs, routines and what to automate, " +
        'failing devices, other questions by a sandboxed script. Returns its report with computed figures.',
      schema: consultDataScienceTeamSchema,
    },
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
