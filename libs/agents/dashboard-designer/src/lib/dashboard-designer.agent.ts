import { AetherAgent } from '@aether/a2a';
import { InjectAgent } from '@aether/agent-runtime';
import {
  AgentError,
  CATALOG_REQUEST_KEY,
  decisionTarget,
  proposalSummary,
  ProposalDecisionClient,
  readChatDecision,
  readDeveloperOutcome,
  type Agent,
  type AgentClient,
  type AgentEvent,
  type AgentRequest,
  type CatalogEntityView,
  type CatalogQuery,
  type CatalogQueryResult,
  type Proposal,
  type ProposalDraftInput,
} from '@aether/core';
import { HomeAssistantClient, type HaEnergyPrefs } from '@aether/home-assistant';
import { Injectable, Logger } from '@nestjs/common';
import { DASHBOARD_DESIGNER_CARD } from './dashboard-designer.card';
import { DASHBOARD_DOMAINS, designDashboard } from './dashboard-layouts';
import { readDashboardRequest, type DashboardSubject } from './dashboard-request';
import { describeDashboard } from './dashboard-summary';

/** Enough for every entity of a domain in a large home. */
const CATALOG_LIMIT = 1_000;

/**
 * Designs Lovelace dashboards — for an area, or for the home's energy, security or climate — from
 * the Librarian's catalog (and, for energy, Home Assistant's energy prefs), deterministically: the
 * same home and request give the same dashboard with any model or none. It changes nothing: the
 * dashboard goes to the Developer as a proposal, which is checked against the live home and
 * deployed only once the person approves it.
 */
@Injectable()
@AetherAgent({ name: 'dashboard-designer', card: DASHBOARD_DESIGNER_CARD })
export class DashboardDesignerAgent implements Agent {
  readonly name = 'dashboard-designer' as const;
  private readonly logger = new Logger(DashboardDesignerAgent.name);

  constructor(
    @InjectAgent('librarian') private readonly librarian: AgentClient,
    @InjectAgent('developer') private readonly developer: AgentClient,
    private readonly ha: HomeAssistantClient,
  ) {}

  async *run(request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    // "approve" / "reject" / "roll back" sent on a waiting task (A2A) is the person's decision, carried out by the Developer.
    const decided = await this.decision(request, signal);
    if (decided) return yield* decided.stream(request, { signal });

    yield { type: 'status', agent: this.name, content: 'reading the catalog of the home' };
    const summary = await this.query({ op: 'catalog_summary' }, request, signal);
    const areas = summary.op === 'catalog_summary' ? summary.summary.areas : [];
    const subject = readDashboardRequest(request.message, areas);
    if (!subject) {
      return yield this.say(
        `Which dashboard should I design? I build them for your **energy**, **security** (locks, doors, alarm), **climate**, or one area${areas.length > 0 ? ` (${areas.join(', ')})` : ''} — e.g. "Design a dashboard for my energy" or "… for the ${(areas[0] ?? 'living room').toLowerCase()}".`,
      );
    }

    const entities = await this.entitiesFor(subject, request, signal);
    const energyPrefs = subject.topic === 'energy' ? await this.energyPrefs() : null;
    const dashboard = designDashboard(subject, { entities, energyPrefs });
    if (!dashboard) return yield this.say(`The catalog has nothing to put on a ${subjectName(subject)} dashboard: no ${subject.topic === 'area' ? 'controls or sensors in that area' : 'matching entities'} were found in Home Assistant.`);

    yield { type: 'status', agent: this.name, content: `proposing the ${dashboard.title} dashboard` };
    const draft: ProposalDraftInput<'dashboard'> = {
      kind: 'dashboard',
      title: `${dashboard.title} dashboard`,
      description: `${/^[aeiou]/i.test(subjectName(subject)) ? 'An' : 'A'} ${subjectName(subject)} dashboard at /${dashboard.urlPath}, built from the entities Home Assistant has${energyPrefs ? ' and its energy configuration' : ''}.`,
      payload: dashboard,
      haId: dashboard.urlPath,
    };
    let proposal: Proposal;
    try {
      proposal = yield* this.propose(draft, request, signal);
    } catch (error) {
      // The Developer refused it (e.g. the HA token may not change dashboards): show the design and why.
      if (!(error instanceof AgentError) || error.code !== 'invalid_input') throw error;
      return yield this.say([describeDashboard(dashboard), '', `I could not save it as a proposal. ${error.message}`].join('\n'));
    }
    const notes = subject.topic === 'energy' && !energyPrefs ? ["Home Assistant's energy dashboard is not configured, so HA's energy cards would show nothing: this one shows your power and energy sensors instead.", ''] : [];
    // Words cannot edit a dashboard proposal yet: say what does work instead.
    const changing = 'To change the dashboard, ask for another one (e.g. "Design a dashboard for the kitchen") and reject this one.';
    yield this.say([describeDashboard(dashboard), '', ...notes, proposalSummary(proposal), changing].join('\n'));
    yield { type: 'result', agent: this.name, data: { proposal } };
  }

  /** The catalog's entities the dashboard may show (for an area, only that area's). */
  private async entitiesFor(subject: DashboardSubject, request: AgentRequest, signal: AbortSignal): Promise<CatalogEntityView[]> {
    const area = subject.topic === 'area' ? { area: subject.area } : {};
    const results = await Promise.all(DASHBOARD_DOMAINS.map((domain) => this.query({ op: 'list_entities_by_domain', domain, limit: CATALOG_LIMIT, ...area }, request, signal)));
    return results.flatMap((result) => ('entities' in result ? result.entities : []));
  }

  private async energyPrefs(): Promise<HaEnergyPrefs | null> {
    try {
      return await this.ha.getEnergyPrefs();
    } catch (error) {
      throw new AgentError('upstream_error', `Home Assistant's energy configuration could not be read: ${error instanceof Error ? error.message : String(error)}`, this.name);
    }
  }

  /** Hands the draft to the Developer, passing its events on (the approval it asks for among them). */
  private async *propose(draft: ProposalDraftInput<'dashboard'>, request: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent, Proposal> {
    let result: Record<string, unknown> = {};
    for await (const event of this.developer.stream({ message: 'propose', history: [], data: { action: 'propose', draft }, context: request.context }, { signal })) {
      if (event.type === 'result') result = { ...result, ...event.data };
      else if (event.type !== 'token' && event.type !== 'agent_start' && event.type !== 'agent_end') yield event;
    }
    const outcome = readDeveloperOutcome(result, 'developer');
    if (!('proposal' in outcome)) throw new AgentError('upstream_error', 'The developer answered the dashboard proposal with no proposal.', this.name);
    return outcome.proposal;
  }

  private async query(query: CatalogQuery, request: AgentRequest, signal: AbortSignal): Promise<CatalogQueryResult> {
    let data: Record<string, unknown>;
    try {
      ({ data } = await this.librarian.send({ message: `Catalog query: ${query.op}`, history: [], data: { [CATALOG_REQUEST_KEY]: query }, context: request.context }, { signal }));
    } catch (error) {
      if (error instanceof AgentError && error.code === 'cancelled') throw error;
      throw new AgentError('upstream_error', `The Librarian could not answer the ${query.op} query: ${error instanceof Error ? error.message : String(error)}`, this.name);
    }
    const result = data[CATALOG_REQUEST_KEY] as CatalogQueryResult | undefined;
    if (!result || typeof result !== 'object') throw new AgentError('upstream_error', `The Librarian answered the ${query.op} query without a catalog result.`, this.name);
    return result;
  }

  private async decision(request: AgentRequest, signal: AbortSignal): Promise<ProposalDecisionClient | undefined> {
    const decision = readChatDecision(request.message);
    if (!decision) return undefined;
    try {
      const status = decision.decision === 'rollback' ? 'deployed' : 'proposed';
      const result = await this.developer.send({ message: 'list', history: [], data: { action: 'list', status, conversationId: request.context.conversationId }, context: request.context }, { signal });
      const outcome = readDeveloperOutcome(result.data, 'developer');
      const target = decisionTarget('proposals' in outcome ? outcome.proposals.filter((p) => p.kind === 'dashboard') : [], decision.named);
      return target ? new ProposalDecisionClient(this.developer, decision.decision, target) : undefined;
    } catch (error) {
      if (signal.aborted) throw error;
      this.logger.warn(`could not read the conversation's proposals for "${decision.decision}": ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private say(content: string): AgentEvent {
    return { type: 'token', agent: this.name, content };
  }
}

function subjectName(subject: DashboardSubject): string {
  return subject.topic === 'area' ? subject.area : subject.topic;
}
