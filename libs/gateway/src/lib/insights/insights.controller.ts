import {
  automationDraftFromSuggestion,
  FINDING_TYPES,
  INSIGHT_STATUSES,
  SPECIALISTS,
  type AnalysisReport,
  type DsTeamRecordRequest,
  type DsTeamRecordResult,
  type Insight,
  type InsightQuery,
  type InsightStatus,
  type Proposal,
} from '@aether/core';
import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { OpenAiApiException } from '../errors/openai-error';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { ProposalDecisions } from '../proposals/proposal-decisions.service';
import { TeamRecords } from './team-records.service';

/**
 * `/api/v1/insights`: the findings of the caller's data science team runs, kept as insights to work
 * through (filters: status, type, specialist, conversation_id, limit), one insight, and what a person
 * did with it (acknowledge, dismiss, acted on), or its automation suggestion proposed for approval.
 * Scoped to the caller's key: another key's is 404.
 */
@Controller(GATEWAY_ROUTE_PREFIXES.map((prefix) => `${prefix}/insights`))
@UseGuards(ApiKeyGuard)
export class InsightsController {
  constructor(
    private readonly records: TeamRecords,
    private readonly proposals: ProposalDecisions,
  ) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerIdentity): Promise<{ object: 'list'; data: Array<Insight & { object: 'insight' }> }> {
    const filters: InsightQuery = {
      ...oneOf(query, 'status', INSIGHT_STATUSES),
      ...oneOf(query, 'type', FINDING_TYPES),
      ...oneOf(query, 'specialist', SPECIALISTS),
      ...(typeof query['conversation_id'] === 'string' && query['conversation_id'] ? { conversationId: query['conversation_id'] } : {}),
      ...limitOf(query),
    };
    const outcome = await this.records.ask(caller.userId, { action: 'list_insights', ...filters });
    return { object: 'list', data: ('insights' in outcome ? outcome.insights : []).map((insight) => ({ object: 'insight' as const, ...insight })) };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.insight(caller, { action: 'get_insight', insightId: id });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  async acknowledge(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.move(caller, id, 'acknowledged');
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  async dismiss(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.move(caller, id, 'dismissed');
  }

  @Post(':id/acted-on')
  @HttpCode(200)
  async actedOn(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.move(caller, id, 'acted_on');
  }

  /**
   * The insight's automation suggestion as a proposal, through the Developer like any draft (checked
   * against HA's schema and the live home; nothing reaches HA until it is approved), in the insight's
   * conversation; the insight is then `acted_on`. 409 when the insight suggests no automation.
   */
  @Post(':id/propose')
  @HttpCode(201)
  async propose(@Param('id') id: string, @Caller() caller: CallerIdentity): Promise<Proposal & { object: 'proposal' }> {
    const insight = await this.insight(caller, { action: 'get_insight', insightId: id });
    if (!insight.automationSuggestion) {
      throw new OpenAiApiException(409, { message: `Insight '${id}' suggests no automation to propose.`, type: 'invalid_request_error', param: 'id', code: 'insight_has_no_suggestion' });
    }
    const outcome = await this.proposals.ask({ userId: caller.userId, conversationId: insight.conversationId }, { action: 'propose', draft: automationDraftFromSuggestion(insight.automationSuggestion) });
    if (!('proposal' in outcome)) throw new Error('The developer answered a proposal with no proposal.');
    await this.move(caller, id, 'acted_on');
    return { object: 'proposal', ...outcome.proposal };
  }

  private move(caller: CallerIdentity, id: string, status: InsightStatus) {
    return this.insight(caller, { action: 'set_insight_status', insightId: id, status });
  }

  private async insight(caller: CallerIdentity, request: DsTeamRecordRequest): Promise<Insight & { object: 'insight' }> {
    const outcome = await this.records.ask(caller.userId, request);
    if ('insight' in outcome) return { object: 'insight', ...outcome.insight };
    throw notFound('insight', outcome);
  }
}

/** `/api/v1/reports`: the caller's data science team runs (newest first; filters: conversation_id, limit), and one run. */
@Controller(GATEWAY_ROUTE_PREFIXES.map((prefix) => `${prefix}/reports`))
@UseGuards(ApiKeyGuard)
export class ReportsController {
  constructor(private readonly records: TeamRecords) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerIdentity): Promise<{ object: 'list'; data: Array<AnalysisReport & { object: 'report' }> }> {
    const conversationId = typeof query['conversation_id'] === 'string' && query['conversation_id'] ? query['conversation_id'] : undefined;
    const outcome = await this.records.ask(caller.userId, { action: 'list_reports', ...(conversationId ? { conversationId } : {}), ...limitOf(query) });
    return { object: 'list', data: ('reports' in outcome ? outcome.reports : []).map((report) => ({ object: 'report' as const, ...report })) };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Caller() caller: CallerIdentity): Promise<AnalysisReport & { object: 'report' }> {
    const outcome = await this.records.ask(caller.userId, { action: 'get_report', reportId: id });
    if ('report' in outcome) return { object: 'report', ...outcome.report };
    throw notFound('report', outcome);
  }
}

function oneOf<K extends string, V extends string>(query: Record<string, unknown>, key: K, values: readonly V[]): { [P in K]?: V } {
  const value = query[key];
  if (value === undefined) return {};
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw OpenAiApiException.invalidRequest(`Invalid '${key}': expected one of ${values.join(', ')}.`, key, 'invalid_value');
  }
  return { [key]: value } as { [P in K]?: V };
}

function limitOf(query: Record<string, unknown>): { limit?: number } {
  if (query['limit'] === undefined) return {};
  const limit = Number(query['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw OpenAiApiException.invalidRequest("Invalid 'limit': expected an integer from 1 to 200.", 'limit', 'invalid_value');
  return { limit };
}

function notFound(what: 'insight' | 'report', outcome: DsTeamRecordResult): OpenAiApiException {
  const id = 'notFound' in outcome ? outcome.notFound : '';
  return new OpenAiApiException(404, { message: `No ${what} found with id '${id}'.`, type: 'invalid_request_error', param: 'id', code: `${what}_not_found` });
}
