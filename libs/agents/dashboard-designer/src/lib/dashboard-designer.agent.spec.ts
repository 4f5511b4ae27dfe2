import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { agentClientToken } from '@aether/agent-runtime';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { AgentError, APPROVAL_INSTRUCTION, type AgentCallResult, type AgentClient, type AgentEvent, type AgentRequest, type Proposal, type ProposalDraftInput } from '@aether/core';
import { createHomeAssistantClient, HomeAssistantClient, reviewLovelaceConfig } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DashboardDesignerAgent } from './dashboard-designer.agent';
import { DashboardDesignerAgentModule } from './dashboard-designer-agent.module';
import { CatalogLibrarian, catalogOf } from './testing/demo-catalog';

const NOW = Date.parse('2026-11-20T18:30:00Z');

/** A Developer that stores what it is handed as `proposed` and says so, as the real one does once the draft passes its review. */
class RecordingDeveloper implements AgentClient {
  readonly agent = 'developer' as const;
  readonly drafts: ProposalDraftInput[] = [];
  readonly listed: Proposal[] = [];
  readonly actions: string[] = [];

  async *stream(request: AgentRequest): AsyncIterable<AgentEvent> {
    const data = request.data ?? {};
    this.actions.push(String(data['action']));
    if (data['action'] === 'list') return yield { type: 'result', agent: this.agent, data: { proposals: this.listed } };
    const decided = { approve: 'approved', deploy: 'deployed', reject: 'rejected' }[String(data['action'])];
    const listed = this.listed.find((p) => p.id === data['proposalId']);
    if (decided && listed) return yield { type: 'result', agent: this.agent, data: { proposal: { ...listed, status: decided } } };
    const draft = data['draft'] as ProposalDraftInput;
    this.drafts.push(draft);
    const proposal: Proposal = { ...draft, id: `p${this.drafts.length}`, risk: { level: 'normal', reasons: [] }, status: 'proposed', version: 1, userId: request.context.userId, conversationId: request.context.conversationId, createdAt: '', updatedAt: '' };
    yield { type: 'approval_required', agent: this.agent, proposalId: proposal.id, kind: proposal.kind, title: proposal.title, status: 'proposed', risk: proposal.risk };
    yield { type: 'result', agent: this.agent, data: { proposal } };
  }

  async send(request: AgentRequest): Promise<AgentCallResult> {
    let data: Record<string, unknown> = {};
    for await (const event of this.stream(request)) if (event.type === 'result') data = event.data;
    return { text: '', data, events: [], taskId: 't' };
  }
}

describe('DashboardDesignerAgent against the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let librarian: CatalogLibrarian;
  let live: Set<string>;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    librarian = new CatalogLibrarian(await catalogOf(ha));
    live = new Set((await ha.getStates()).map((s) => s.entity_id));
  }, 60_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  async function ask(message: string, developer = new RecordingDeveloper()) {
    const events: AgentEvent[] = [];
    const agent = new DashboardDesignerAgent(librarian, developer, ha);
    for await (const event of agent.run({ message, history: [], context: { conversationId: 'c1', userId: 'u1' } }, new AbortController().signal)) events.push(event);
    const answer = events.filter((e): e is Extract<AgentEvent, { type: 'token' }> => e.type === 'token').map((e) => e.content).join('');
    return { events, answer, developer };
  }

  it.each([
    ['Design a dashboard for my energy', 'aether-energy', 'energy-usage-graph'],
    ['Design a dashboard for the living room', 'aether-living-room', 'thermostat'],
  ])('"%s" proposes a dashboard of shipped cards and live entities through the Developer, and says how to approve it', async (message, urlPath, card) => {
    const { events, answer, developer } = await ask(message);
    expect(developer.drafts).toHaveLength(1);
    const draft = developer.drafts[0] as ProposalDraftInput<'dashboard'>;
    expect(draft).toMatchObject({ kind: 'dashboard', haId: urlPath, payload: { urlPath } });
    const review = reviewLovelaceConfig(draft.payload.config);
    expect(review.errors).toEqual([]);
    expect(review.cardTypes).toContain(card);
    expect(review.entityIds.filter((id) => !live.has(id))).toEqual([]);
    // The Developer's approval request reaches the caller (the gateway, an A2A task waiting for input).
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_required', proposalId: 'p1', kind: 'dashboard' }));
    expect(answer).toMatch(new RegExp(`^I designed the \\*\\*.+\\*\\* dashboard at \`/${urlPath}\`: 1 view, \\d+ cards, ${review.entityIds.length} entities`));
    expect(answer).toContain(`"type": "${card}"`);
    expect(answer).toContain(APPROVAL_INSTRUCTION);
    expect(demo.mutations()).toEqual([]);
  });

  it('shows the design and the Developer\'s reason, once, when the Developer refuses the draft (a token that may not change dashboards)', async () => {
    const reason = `The draft "Energy dashboard" was not proposed: Home Assistant changes dashboards only for an administrator, and the HA token's user is not one.`;
    const refusing = new RecordingDeveloper();
    // The Developer's refusal arrives as the stream's error, before any event.
    refusing.stream = () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new AgentError('invalid_input', reason, 'developer')) }) });
    const { events, answer } = await ask('Design a dashboard for my energy', refusing);
    expect(answer).toMatch(/^I designed the \*\*Energy\*\* dashboard at `\/aether-energy`/);
    expect(answer).toContain(`I could not save it as a proposal. ${reason}`);
    expect(answer.split(reason)).toHaveLength(2);
    expect(answer).not.toContain(APPROVAL_INSTRUCTION);
    expect(events.some((e) => e.type === 'approval_required')).toBe(false);
  });

  it('asks which dashboard when the request names no topic or area, proposing nothing', async () => {
    const { answer, developer } = await ask('design a dashboard');
    expect(answer).toMatch(/^Which dashboard should I design\? .*energy.*security.*climate.*Living Room/);
    expect(developer.drafts).toEqual([]);
  });

  it('hands "approve" on its waiting task to the Developer for the conversation’s dashboard proposal', async () => {
    const developer = new RecordingDeveloper();
    developer.listed.push({ kind: 'dashboard', id: 'p9', title: 'Energy dashboard', status: 'proposed' } as Proposal);
    const { events } = await ask('approve', developer);
    expect(developer.drafts).toEqual([]);
    expect(developer.actions).toEqual(['list', 'approve', 'deploy']);
    const answer = events.filter((e) => e.type === 'token').map((e) => (e as { content: string }).content).join('');
    expect(answer).toContain('Deployed **Energy dashboard**');
  });

  it('is provided with its card by DashboardDesignerAgentModule', async () => {
    @Module({
      providers: [
        { provide: agentClientToken('librarian'), useValue: librarian },
        { provide: agentClientToken('developer'), useValue: new RecordingDeveloper() },
        { provide: HomeAssistantClient, useValue: ha },
      ],
      exports: [agentClientToken('librarian'), agentClientToken('developer'), HomeAssistantClient],
    })
    class AppProviders {}
    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, { module: AppProviders, global: true }, DashboardDesignerAgentModule] }).compile();
    const registered = moduleRef.get(LocalAgentRegistry).get('dashboard-designer');
    expect(registered.agent).toBeInstanceOf(DashboardDesignerAgent);
    expect(registered.card.skills.map((s) => s.id)).toEqual(['dashboard_design', 'dashboard_deployment']);
  });
});
