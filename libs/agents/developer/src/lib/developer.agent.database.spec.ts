import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { AgentError, readDeveloperOutcome, type AgentEvent, type DeveloperRequestData, type DeveloperResultData, type ProposalDraftInput } from '@aether/core';
import { createHomeAssistantClient, HomeAssistantAccess, HomeAssistantClient, type HomeAssistantClient as HaClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { ProposalStore, TypeOrmProposalStore } from '@aether/persistence';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '@aether/persistence/testing';
import { Test } from '@nestjs/testing';
import { DeveloperAgent } from './developer.agent';
import { DeveloperAgentModule } from './developer-agent.module';
import { EntityCommandDeployer } from './deploy/entity-command-deployer';
import { ProposalDeployer } from './deploy/proposal-deployer';
import { ProposalKinds } from './deploy/proposal-kinds';

const NOW = Date.parse('2026-11-20T18:30:00Z');

const porchAtSunset: ProposalDraftInput<'automation'> = {
  kind: 'automation',
  title: 'Porch light at sunset',
  description: 'Turns on the porch light at sunset.',
  payload: {
    config: {
      id: 'porch_light_at_sunset',
      alias: 'Porch light at sunset',
      triggers: [{ trigger: 'sun', event: 'sunset' }],
      actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
    },
  },
  haId: 'porch_light_at_sunset',
};

const kitchenOff: ProposalDraftInput<'entity_command'> = {
  kind: 'entity_command',
  title: 'Turn off the kitchen light',
  description: 'Turns off light.kitchen.',
  payload: { domain: 'light', service: 'turn_off', entityIds: ['light.kitchen'] },
  haId: 'light.kitchen',
};

describe.each(testDatabaseKinds())('DeveloperAgent against the demo home, proposals on %s', (kind) => {
  let demo: RunningDemoHome;
  let ha: HaClient;
  let db: TestDatabase;
  let store: TypeOrmProposalStore;
  let agent: DeveloperAgent;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW, configReloadDelayMs: 20 });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    db = await openTestDatabase(kind);
    store = new TypeOrmProposalStore(db.dataSource);
    agent = new DeveloperAgent(ha, store, ProposalKinds.standard(new ProposalDeployer(ha, { verifyTimeoutMs: 3_000 }), new EntityCommandDeployer(ha, { verifyTimeoutMs: 3_000 })));
  }, 120_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
    await db?.close();
  });

  async function run(data: DeveloperRequestData, userId = 'alice', conversationId = 'c-1'): Promise<{ events: AgentEvent[]; outcome: DeveloperResultData }> {
    const events: AgentEvent[] = [];
    for await (const event of agent.run({ message: '', history: [], data: data as unknown as Record<string, unknown>, context: { userId, conversationId } }, new AbortController().signal)) events.push(event);
    const result = events.find((event) => event.type === 'result');
    return { events, outcome: readDeveloperOutcome(result?.type === 'result' ? result.data : {}, 'developer') };
  }

  function proposalOf(outcome: DeveloperResultData) {
    if (!('proposal' in outcome)) throw new Error(`expected a proposal, got ${JSON.stringify(outcome)}`);
    return outcome.proposal;
  }

  it('proposes, approves, deploys and rolls back an automation; HA changes only after the approval', async () => {
    const before = demo.mutations().length;
    const proposed = await run({ action: 'propose', draft: porchAtSunset });
    const proposal = proposalOf(proposed.outcome);
    expect(proposal).toMatchObject({ status: 'proposed', userId: 'alice', conversationId: 'c-1', risk: { level: 'normal' }, payload: porchAtSunset.payload });
    expect(proposed.events).toContainEqual({ type: 'approval_required', agent: 'developer', proposalId: proposal.id, kind: 'automation', title: porchAtSunset.title, status: 'proposed', risk: proposal.risk });
    expect(demo.mutations().length).toBe(before);

    // Deploying before the approval is refused, and nothing is written.
    expect((await run({ action: 'deploy', proposalId: proposal.id })).outcome).toEqual({ refused: { reason: 'conflict', message: `Proposal ${proposal.id} is proposed; it cannot become deployed.` } });
    expect(demo.mutations().length).toBe(before);

    expect(proposalOf((await run({ action: 'approve', proposalId: proposal.id })).outcome)).toMatchObject({ status: 'approved', approvedBy: 'alice' });
    const deployed = await run({ action: 'deploy', proposalId: proposal.id });
    expect(proposalOf(deployed.outcome)).toMatchObject({ status: 'deployed', snapshot: null, deployResult: { haId: 'porch_light_at_sunset', entityId: expect.stringMatching(/^automation\./) } });
    expect(deployed.events.some((event) => event.type === 'deployed')).toBe(true);
    expect(await ha.getAutomationConfig('porch_light_at_sunset')).toMatchObject(porchAtSunset.payload.config);

    const rolledBack = await run({ action: 'rollback', proposalId: proposal.id });
    expect(proposalOf(rolledBack.outcome).status).toBe('rolled_back');
    expect(rolledBack.events.some((event) => event.type === 'rolled_back')).toBe(true);
    expect(await ha.getAutomationConfig('porch_light_at_sunset')).toBeNull();
    // The deploy's write, HA's own reload after it, and the rollback's delete.
    expect(demo.mutations().slice(before).map(({ kind, id, domain, service, service_data, outcome }) => ({ kind, id, domain, service, service_data, outcome }))).toEqual([
      { kind: 'config_write', id: 'porch_light_at_sunset', outcome: 'ok' },
      { kind: 'service_call', domain: 'automation', service: 'reload', service_data: { id: 'porch_light_at_sunset' }, outcome: 'ok' },
      { kind: 'config_delete', id: 'porch_light_at_sunset', outcome: 'ok' },
    ]);
  });

  it('records what a proposal for an existing automation would replace, read from HA when it is proposed', async () => {
    const existing = await ha.getAutomationConfig('porch_light_at_sunset');
    expect(existing).toBeNull();
    const first = proposalOf((await run({ action: 'propose', draft: porchAtSunset })).outcome);
    expect(first.replaces).toBeUndefined();
    await run({ action: 'approve', proposalId: first.id });
    await run({ action: 'deploy', proposalId: first.id });
    const later = { ...porchAtSunset.payload.config, triggers: [{ trigger: 'sun', event: 'sunset', offset: '00:30:00' }] };
    const revision = proposalOf((await run({ action: 'propose', draft: { ...porchAtSunset, payload: { config: later } } })).outcome);
    expect(revision.replaces).toEqual(await ha.getAutomationConfig('porch_light_at_sunset'));
    expect((await store.get(revision.id, 'alice'))?.replaces).toEqual(revision.replaces);
    await run({ action: 'reject', proposalId: revision.id });
    await run({ action: 'rollback', proposalId: first.id });
  });

  it('never stores an invalid draft: unknown entities and services, and what HA schema refuses, are listed', async () => {
    const draft: ProposalDraftInput<'automation'> = {
      ...porchAtSunset,
      haId: 'bad_one',
      payload: { config: { id: 'bad_one', alias: 'Bad', triggers: [{ trigger: 'sun', event: 'sunset' }], actions: [{ action: 'light.teleport', target: { entity_id: 'light.nowhere' } }] } },
    };
    const failure = run({ action: 'propose', draft }, 'alice', 'c-invalid');
    await expect(failure).rejects.toBeInstanceOf(AgentError);
    await expect(failure).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Unknown entity "light.nowhere"') });
    await expect(failure).rejects.toMatchObject({ message: expect.stringContaining('Unknown service "light.teleport"') });
    const noTriggers = { ...porchAtSunset, haId: 'no_triggers', payload: { config: { id: 'no_triggers', alias: 'x', actions: [] } } };
    await expect(run({ action: 'propose', draft: noTriggers }, 'alice', 'c-invalid')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Home Assistant would refuse') });
    expect(await store.list({ userId: 'alice', conversationId: 'c-invalid' })).toEqual([]);
  });

  it('runs an entity command after approval, checks the state it asked for, and rolls it back to the snapshot', async () => {
    // The light starts on (set up directly, before any proposal), so turning it off is a change.
    await ha.callService('light', 'turn_on', {}, { entity_id: 'light.kitchen' });
    const start = demo.mutations().length;
    const proposal = proposalOf((await run({ action: 'propose', draft: kitchenOff })).outcome);
    await run({ action: 'approve', proposalId: proposal.id });
    const deployed = proposalOf((await run({ action: 'deploy', proposalId: proposal.id })).outcome);
    expect(deployed).toMatchObject({ status: 'deployed', snapshot: { 'light.kitchen': { state: 'on' } }, deployResult: { states: { 'light.kitchen': 'off' } } });
    expect((await ha.getState('light.kitchen'))?.state).toBe('off');
    expect(proposalOf((await run({ action: 'rollback', proposalId: proposal.id })).outcome).status).toBe('rolled_back');
    expect((await ha.getState('light.kitchen'))?.state).toBe('on');
    expect(demo.mutations().slice(start).map((m) => [m.kind, (m as { service?: string }).service, m.outcome])).toEqual([
      ['service_call', 'turn_off', 'ok'],
      ['service_call', 'turn_on', 'ok'],
    ]);
  });

  it('rejects a proposal, which can then never be approved or deployed; HA unchanged', async () => {
    const before = demo.mutations().length;
    const proposal = proposalOf((await run({ action: 'propose', draft: kitchenOff })).outcome);
    expect(proposalOf((await run({ action: 'reject', proposalId: proposal.id })).outcome).status).toBe('rejected');
    expect((await run({ action: 'approve', proposalId: proposal.id })).outcome).toMatchObject({ refused: { reason: 'conflict' } });
    expect((await run({ action: 'deploy', proposalId: proposal.id })).outcome).toMatchObject({ refused: { reason: 'conflict' } });
    expect(demo.mutations().length).toBe(before);
  });

  it("another caller can neither see, approve, deploy nor roll back someone's proposal", async () => {
    const proposal = proposalOf((await run({ action: 'propose', draft: kitchenOff })).outcome);
    for (const action of ['get', 'approve', 'reject', 'deploy', 'rollback'] as const) {
      expect((await run({ action, proposalId: proposal.id } as DeveloperRequestData, 'mallory')).outcome).toEqual({ refused: { reason: 'not_found', message: `No proposal ${proposal.id} of yours.` } });
    }
    expect((await run({ action: 'list' }, 'mallory')).outcome).toEqual({ proposals: [] });
    expect(proposalOf((await run({ action: 'get', proposalId: proposal.id })).outcome).status).toBe('proposed');
  });

  it('marks a lock command high risk with the reason', async () => {
    const proposal = proposalOf(
      (await run({ action: 'propose', draft: { kind: 'entity_command', title: 'Unlock', description: '', payload: { domain: 'lock', service: 'unlock', entityIds: ['lock.front_door'] }, haId: 'lock.front_door' } })).outcome,
    );
    expect(proposal.risk.level).toBe('high');
    expect(proposal.risk.reasons.join(' ')).toMatch(/lock/i);
  });

  it('a deploy HA refuses leaves the proposal failed with HA’s reason and HA as it was', async () => {
    // Valid when proposed (the entity and service exist); HA refuses its data when it runs.
    const proposal = proposalOf((await run({ action: 'propose', draft: { ...kitchenOff, payload: { ...kitchenOff.payload, data: { brightness: 999 } } } })).outcome);
    await run({ action: 'approve', proposalId: proposal.id });
    const failed = proposalOf((await run({ action: 'deploy', proposalId: proposal.id })).outcome);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/Home Assistant refused/);
  });

  it('is provided with its card and handlers by DeveloperAgentModule', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, DeveloperAgentModule],
    })
      .useMocker((token) => (token === HomeAssistantClient ? ha : token === ProposalStore ? store : undefined))
      .compile();
    expect(moduleRef.get(LocalAgentRegistry).get('developer').agent).toBeInstanceOf(DeveloperAgent);
    expect(moduleRef.get(LocalAgentRegistry).get('developer').card.skills.map((s) => s.id)).toEqual(['automation_deployment', 'rollback', 'yaml_generation']);
    expect(moduleRef.get(ProposalKinds).get('dashboard')).toBeDefined();
    expect(moduleRef.get(ProposalKinds).get('helper')).toBeDefined();
  });
});

describe('DeveloperAgent with a Home Assistant token whose user is not an administrator', () => {
  let demo: RunningDemoHome;
  let ha: HaClient;
  let db: TestDatabase;
  let store: TypeOrmProposalStore;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW, admin: false });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    db = await openTestDatabase('pglite');
    store = new TypeOrmProposalStore(db.dataSource);
  }, 120_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
    await db?.close();
  });

  const propose = (agent: DeveloperAgent, draft: ProposalDraftInput, conversationId: string) =>
    (async () => {
      for await (const _event of agent.run({ message: '', history: [], data: { action: 'propose', draft } as unknown as Record<string, unknown>, context: { userId: 'alice', conversationId } }, new AbortController().signal));
    })();
  const kinds = () => ProposalKinds.standard(new ProposalDeployer(ha), new EntityCommandDeployer(ha));
  const needsAdmin = { code: 'invalid_input', message: expect.stringMatching(/^The draft "Porch light at sunset" was not proposed: Home Assistant changes automations only for an administrator, and the HA token's user is not one\./) };

  it('refuses a config change up front once the rights are known, stores nothing, and still proposes a one-off command', async () => {
    const access = new HomeAssistantAccess(ha);
    await access.check();
    expect(access.report().admin).toBe(false);
    const agent = new DeveloperAgent(ha, store, kinds(), access);
    await expect(propose(agent, porchAtSunset, 'c-known')).rejects.toMatchObject(needsAdmin);
    expect(await store.list({ userId: 'alice', conversationId: 'c-known' })).toEqual([]);
    await propose(agent, kitchenOff, 'c-known');
    expect((await store.list({ userId: 'alice', conversationId: 'c-known' })).map((p) => p.kind)).toEqual(['entity_command']);
  });

  it("refuses it just the same when the rights are not known yet: HA's refusal of its config API says so", async () => {
    const agent = new DeveloperAgent(ha, store, kinds());
    await expect(propose(agent, porchAtSunset, 'c-unknown')).rejects.toMatchObject(needsAdmin);
    expect(await store.list({ userId: 'alice', conversationId: 'c-unknown' })).toEqual([]);
  });
});
