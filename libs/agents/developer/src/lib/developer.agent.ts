import { AetherAgent } from '@aether/a2a';
import {
  AgentError,
  ProposalStatusConflict,
  readDeveloperRequest,
  type Agent,
  type AgentEvent,
  type AgentRequest,
  type DeveloperRequestData,
  type DeveloperResultData,
  type Proposal,
  type ProposalDraft,
  type ProposalDraftInput,
  type ProposalEvent,
  type ProposalOwner,
  type HelperPayload,
} from '@aether/core';
import { HomeAssistantAccess, HomeAssistantClient, HomeAssistantError, isHelperDomain, type HaHelperDomain } from '@aether/home-assistant';
import { ProposalStore } from '@aether/persistence';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DEVELOPER_CARD } from './developer.card';
import { DeployFailure } from './deploy/proposal-deployer';
import { ProposalKinds } from './deploy/proposal-kinds';

/**
 * Owns the proposal lifecycle (see `DeveloperRequestData`): checks drafts against HA's schema and the
 * live home before storing them as `proposed`, records approvals and rejections, deploys only
 * `approved` proposals and rolls back `deployed` ones. Every proposal is the caller's
 * (`context.userId`): another caller's is not found. Its result is always `DeveloperResultData`;
 * a deploy HA refused is a `failed` proposal with HA's reason, HA left as it was.
 */
@Injectable()
@AetherAgent({ name: 'developer', card: DEVELOPER_CARD })
export class DeveloperAgent implements Agent {
  readonly name = 'developer' as const;

  constructor(
    @Inject(HomeAssistantClient) private readonly ha: HomeAssistantClient,
    @Inject(ProposalStore) private readonly store: ProposalStore,
    @Inject(ProposalKinds) private readonly kinds: ProposalKinds,
    @Optional() @Inject(HomeAssistantAccess) private readonly access?: HomeAssistantAccess,
  ) {}

  async *run(request: AgentRequest, _signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const action = readDeveloperRequest(request.data, this.name);
    const owner: ProposalOwner = { userId: request.context.userId, conversationId: request.context.conversationId };
    yield* this.act(action, owner);
  }

  private async *act(action: DeveloperRequestData, owner: ProposalOwner): AsyncGenerator<AgentEvent> {
    switch (action.action) {
      case 'propose': {
        const proposal = await this.propose(action.draft, owner);
        yield this.status(`checked "${proposal.title}" against Home Assistant and stored it for approval`);
        yield this.proposalEvent('approval_required', proposal);
        return yield this.result({ proposal });
      }
      case 'list':
        return yield this.result({ proposals: await this.store.list({ userId: owner.userId, status: action.status, conversationId: action.conversationId, limit: action.limit }) });
      case 'get': {
        const proposal = await this.store.get(action.proposalId, owner.userId);
        return yield this.result(proposal ? { proposal } : notFound(action.proposalId));
      }
      case 'approve':
        return yield this.result(await this.moved(action.proposalId, owner.userId, () => this.store.move(action.proposalId, owner.userId, 'approved', { approvedBy: owner.userId })));
      case 'reject':
        return yield this.result(
          await this.moved(action.proposalId, owner.userId, () => this.store.move(action.proposalId, owner.userId, 'rejected', { failureReason: action.reason ?? 'Rejected by the person who asked for it.' })),
        );
      case 'deploy':
        return yield* this.deploy(action.proposalId, owner.userId);
      case 'rollback':
        return yield* this.rollback(action.proposalId, owner.userId);
    }
  }

  private async propose(input: ProposalDraftInput, owner: ProposalOwner): Promise<Proposal> {
    const handler = this.kinds.get(input.kind);
    if (!handler) throw new AgentError('not_implemented', `Proposing ${input.kind.replace('_', ' ')} changes is not available yet in this version of Aether.`, this.name);
    // Known at start (auth/current_user): a change HA would refuse to deploy is not proposed.
    if (input.kind !== 'entity_command' && this.access?.report().admin === false) throw this.needsAdmin(input);
    let home;
    try {
      const [states, services] = await Promise.all([this.ha.getStates(), this.ha.getServices()]);
      home = { states, services };
    } catch (error) {
      throw new AgentError('upstream_error', `Home Assistant could not be read to check the draft: ${errorMessage(error)}`, this.name);
    }
    const draft: ProposalDraft = { ...input, risk: { level: 'normal', reasons: [] } };
    const review = handler.review(draft, home);
    if (review.errors.length > 0) {
      throw new AgentError('invalid_input', `The draft "${input.title}" was not proposed:\n${review.errors.map((error) => `- ${error}`).join('\n')}`, this.name);
    }
    if (input.revises) {
      const revised = await this.store.get(input.revises, owner.userId);
      if (!revised) throw new AgentError('invalid_input', `The draft revises proposal ${input.revises}, which does not exist for this caller.`, this.name);
    }
    const replaces = await this.currentConfig(input);
    return this.store.create({ ...draft, risk: review.risk, ...(replaces ? { replaces } : {}) }, owner);
  }

  /** The automation, script, scene or UI-made helper HA has now under the draft's id (what approving would change); null for anything new. */
  private async currentConfig(draft: ProposalDraftInput): Promise<Record<string, unknown> | null> {
    const helper = draft.kind === 'helper' ? (draft.payload as HelperPayload) : undefined;
    const read =
      draft.kind === 'automation'
        ? () => this.ha.getAutomationConfig(draft.haId)
        : draft.kind === 'script'
          ? () => this.ha.getScriptConfig(draft.haId)
          : draft.kind === 'scene'
            ? () => this.ha.getSceneConfig(draft.haId)
            : helper?.id !== undefined && isHelperDomain(helper.domain)
              ? async () => {
                  const found = (await this.ha.listHelpers(helper.domain as HaHelperDomain)).find((item) => item.id === helper.id);
                  if (!found) return null;
                  const { id: _id, ...config } = found;
                  return config;
                }
              : undefined;
    if (!read) return null;
    try {
      return ((await read()) as Record<string, unknown> | null) ?? null;
    } catch (error) {
      // The token's rights were not known yet: HA's refusal of its config API says it.
      if (error instanceof HomeAssistantError && error.kind === 'auth' && error.status === 401) throw this.needsAdmin(draft);
      throw new AgentError('upstream_error', `Home Assistant could not be read to see what the draft would replace: ${errorMessage(error)}`, this.name);
    }
  }

  private needsAdmin(draft: ProposalDraftInput): AgentError {
    return new AgentError(
      'invalid_input',
      `The draft "${draft.title}" was not proposed: Home Assistant changes ${ADMIN_KIND_LABELS[draft.kind] ?? draft.kind} only for an administrator, ` +
        "and the HA token's user is not one. Give Aether a long-lived access token of an administrator (HA_TOKEN); questions and one-off commands work with this one.",
      this.name,
    );
  }

  private async *deploy(id: string, userId: string): AsyncGenerator<AgentEvent> {
    const proposal = await this.store.get(id, userId);
    if (!proposal) return yield this.result(notFound(id));
    if (proposal.status !== 'approved') return yield this.result(conflict(new ProposalStatusConflict(id, proposal.status, 'deployed')));
    const handler = this.kinds.get(proposal.kind);
    yield this.status(`deploying "${proposal.title}" to Home Assistant`);
    try {
      if (!handler) throw new DeployFailure(`Deploying ${proposal.kind.replace('_', ' ')} proposals is not available yet in this version of Aether.`);
      const deployment = await handler.deploy(proposal);
      const deployed = await this.store.move(id, userId, 'deployed', { snapshot: deployment.snapshot, deployResult: deployment.result });
      yield this.proposalEvent('deployed', deployed!);
      return yield this.result({ proposal: deployed! });
    } catch (error) {
      if (!(error instanceof DeployFailure || error instanceof HomeAssistantError)) throw error;
      const failed = await this.store.move(id, userId, 'failed', { failureReason: error.message });
      yield this.status(`deploying "${proposal.title}" failed: ${error.message}`);
      return yield this.result({ proposal: failed! });
    }
  }

  private async *rollback(id: string, userId: string): AsyncGenerator<AgentEvent> {
    const proposal = await this.store.get(id, userId);
    if (!proposal) return yield this.result(notFound(id));
    if (proposal.status !== 'deployed') return yield this.result(conflict(new ProposalStatusConflict(id, proposal.status, 'rolled_back')));
    yield this.status(`rolling back "${proposal.title}"`);
    try {
      const outcome = await this.kinds.get(proposal.kind)!.rollback(proposal);
      const rolledBack = await this.store.move(id, userId, 'rolled_back', { deployResult: { ...proposal.deployResult, rollback: outcome } });
      yield this.proposalEvent('rolled_back', rolledBack!);
      return yield this.result({ proposal: rolledBack! });
    } catch (error) {
      if (!(error instanceof DeployFailure || error instanceof HomeAssistantError)) throw error;
      // HA still holds the deployed change; the reason says so.
      const failed = await this.store.move(id, userId, 'failed', { failureReason: `The rollback failed, so Home Assistant still has the deployed change: ${error.message}` });
      return yield this.result({ proposal: failed! });
    }
  }

  /** A status move the store refuses (another caller's, or a status that does not allow it) is a refusal, not an error. */
  private async moved(id: string, _userId: string, move: () => Promise<Proposal | undefined>): Promise<DeveloperResultData> {
    try {
      const proposal = await move();
      return proposal ? { proposal } : notFound(id);
    } catch (error) {
      if (error instanceof ProposalStatusConflict) return conflict(error);
      throw error;
    }
  }

  private proposalEvent(type: ProposalEvent['type'], proposal: Proposal): ProposalEvent {
    return { type, agent: this.name, proposalId: proposal.id, kind: proposal.kind, title: proposal.title, status: proposal.status, risk: proposal.risk };
  }

  private status(content: string): AgentEvent {
    return { type: 'status', agent: this.name, content };
  }

  private result(data: DeveloperResultData): AgentEvent {
    return { type: 'result', agent: this.name, data: data as unknown as Record<string, unknown> };
  }
}

/** What each kind changes in HA's admin-only config APIs, for the refusal that says so. */
const ADMIN_KIND_LABELS: Partial<Record<ProposalDraftInput['kind'], string>> = {
  automation: 'automations',
  script: 'scripts',
  scene: 'scenes',
  helper: 'helpers',
  dashboard: 'dashboards',
};

function notFound(id: string): DeveloperResultData {
  return { refused: { reason: 'not_found', message: `No proposal ${id} of yours.` } };
}

function conflict(error: ProposalStatusConflict): DeveloperResultData {
  return { refused: { reason: 'conflict', message: error.message } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
