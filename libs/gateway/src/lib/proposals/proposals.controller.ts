import { PROPOSAL_STATUSES, type DeveloperRequestData, type DeveloperResultData, type Proposal, type ProposalStatus } from '@aether/core';
import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { OpenAiApiException } from '../errors/openai-error';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { ProposalDecisions } from './proposal-decisions.service';

export interface ProposalListObject {
  object: 'list';
  data: Array<Proposal & { object: 'proposal' }>;
}

/**
 * `/api/v1/proposals`: the caller's proposals and the decisions on them — approve, reject, deploy
 * (approve, when not yet, then deploy) and rollback. Scoped to the caller's key: another key's
 * proposal is 404, a move its status does not allow is 409, in the OpenAI error envelope.
 */
@Controller(GATEWAY_ROUTE_PREFIXES.map((prefix) => `${prefix}/proposals`))
@UseGuards(ApiKeyGuard)
export class ProposalsController {
  constructor(private readonly decisions: ProposalDecisions) {}

  @Get()
  async list(@Query() query: Record<string, unknown>, @Caller() caller: CallerIdentity): Promise<ProposalListObject> {
    const status = query['status'];
    if (status !== undefined && !(PROPOSAL_STATUSES as readonly unknown[]).includes(status)) {
      throw OpenAiApiException.invalidRequest(`Invalid 'status': expected one of ${PROPOSAL_STATUSES.join(', ')}.`, 'status', 'invalid_value');
    }
    const conversationId = typeof query['conversation_id'] === 'string' && query['conversation_id'] ? query['conversation_id'] : undefined;
    const proposals = await this.decisions.list(caller, { ...(status ? { status: status as ProposalStatus } : {}), ...(conversationId ? { conversationId } : {}) });
    return { object: 'list', data: proposals.map(asObject) };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.decide(caller, { action: 'get', proposalId: id });
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.decide(caller, { action: 'approve', proposalId: id });
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param('id') id: string, @Body() body: unknown, @Caller() caller: CallerIdentity) {
    const reason = typeof (body as { reason?: unknown } | undefined)?.reason === 'string' ? (body as { reason: string }).reason : undefined;
    return this.decide(caller, { action: 'reject', proposalId: id, ...(reason ? { reason } : {}) });
  }

  @Post(':id/deploy')
  @HttpCode(200)
  async deploy(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    const current = await this.decide(caller, { action: 'get', proposalId: id });
    // Deploy is "approve and deploy" for a proposal that waits; an approved one deploys as it is.
    if (current.status === 'proposed' || current.status === 'failed') await this.decide(caller, { action: 'approve', proposalId: id });
    return this.decide(caller, { action: 'deploy', proposalId: id });
  }

  @Post(':id/rollback')
  @HttpCode(200)
  async rollback(@Param('id') id: string, @Caller() caller: CallerIdentity) {
    return this.decide(caller, { action: 'rollback', proposalId: id });
  }

  private async decide(caller: CallerIdentity, data: DeveloperRequestData): Promise<Proposal & { object: 'proposal' }> {
    return asObject(refusalToError(await this.decisions.ask(caller, data), 'proposalId' in data ? data.proposalId : ''));
  }
}

function refusalToError(outcome: DeveloperResultData, id: string): Proposal {
  if ('proposal' in outcome) return outcome.proposal;
  if ('refused' in outcome && outcome.refused.reason === 'conflict') {
    throw new OpenAiApiException(409, { message: outcome.refused.message, type: 'invalid_request_error', param: 'id', code: 'proposal_status_conflict' });
  }
  throw new OpenAiApiException(404, { message: `No proposal found with id '${id}'.`, type: 'invalid_request_error', param: 'id', code: 'proposal_not_found' });
}

function asObject(proposal: Proposal): Proposal & { object: 'proposal' } {
  return { object: 'proposal', ...proposal };
}
