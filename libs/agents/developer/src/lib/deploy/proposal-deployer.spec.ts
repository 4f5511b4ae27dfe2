import type { Proposal, ProposalStatus } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { DeployFailure, ProposalDeployer } from './proposal-deployer';

const NOW = Date.parse('2026-11-20T18:30:00Z');

function automationProposal(haId: string, config: Record<string, unknown>, status: ProposalStatus = 'approved'): Proposal<'automation'> {
  return {
    id: `p-${haId}`,
    kind: 'automation',
    title: String(config['alias'] ?? haId),
    description: '',
    payload: { config },
    haId,
    risk: { level: 'normal', reasons: [] },
    userId: 'alice',
    conversationId: 'c',
    status,
    version: 1,
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
  };
}

const porch = {
  id: 'porch_light_at_sunset',
  alias: 'Porch light at sunset',
  triggers: [{ trigger: 'sun', event: 'sunset' }],
  actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
};

describe('ProposalDeployer against the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let deployer: ProposalDeployer;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    deployer = new ProposalDeployer(ha, { verifyTimeoutMs: 2_000 });
  }, 60_000);
  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  it('deploys a new automation, sees it live, and rolls it back by removing it', async () => {
    const before = demo.mutations().length;
    const deployment = await deployer.deploy(automationProposal(porch.id, porch));
    expect(deployment.snapshot).toBeNull();
    expect(deployment.result.haId).toBe(porch.id);
    expect(await ha.getAutomationConfig(porch.id)).toMatchObject(porch);
    const live = (await ha.getStates()).find((s) => s.entity_id === deployment.result.entityId);
    expect(live?.attributes['friendly_name']).toBe(porch.alias);

    const rolledBack = await deployer.rollback({ ...automationProposal(porch.id, porch, 'deployed'), snapshot: null });
    expect(rolledBack.entityId).toBeNull();
    expect(await ha.getAutomationConfig(porch.id)).toBeNull();
    expect((await ha.getStates()).some((s) => s.entity_id === deployment.result.entityId)).toBe(false);
    // Exactly the write, HA's own reload after it, and the undo; nothing else.
    expect(demo.mutations().slice(before).map(({ kind, id, domain, service, outcome }) => ({ kind, id, domain, service, outcome }))).toEqual([
      { kind: 'config_write', id: porch.id, outcome: 'ok' },
      { kind: 'service_call', domain: 'automation', service: 'reload', outcome: 'ok' },
      { kind: 'config_delete', id: porch.id, outcome: 'ok' },
    ]);
  });

  it('deploys a config identical to the one HA has (HA reloads nothing, so there is no change to wait for)', async () => {
    const same = { ...porch, id: 'same_again', alias: 'Same again' };
    await deployer.deploy(automationProposal(same.id, same));
    const again = await deployer.deploy(automationProposal(same.id, { ...same }));
    expect(again.snapshot).toEqual(same);
    expect(again.result.entityId).toMatch(/^automation\./);
    await deployer.rollback({ ...automationProposal(same.id, same, 'deployed'), snapshot: null });
  });

  it('snapshots the automation it replaces, and rollback restores that config', async () => {
    const original = { ...porch, id: 'hall_motion', alias: 'Hall motion light' };
    await deployer.deploy(automationProposal(original.id, original));
    const revised = { ...original, alias: 'Hall motion light (30 s)', actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hallway' } }] };

    const deployment = await deployer.deploy(automationProposal(original.id, revised));
    expect(deployment.snapshot).toMatchObject(original);
    expect(await ha.getAutomationConfig(original.id)).toMatchObject(revised);

    const rolledBack = await deployer.rollback({ ...automationProposal(original.id, revised, 'deployed'), snapshot: deployment.snapshot });
    expect(rolledBack.entityId).toMatch(/^automation\./);
    expect(await ha.getAutomationConfig(original.id)).toMatchObject(original);
  });

  it.each<ProposalStatus>(['proposed', 'rejected', 'failed', 'deployed', 'rolled_back'])('never writes a proposal that is %s', async (status) => {
    const before = demo.mutations().length;
    await expect(deployer.deploy(automationProposal('never_written', { ...porch, id: 'never_written' }, status))).rejects.toThrow(
      new DeployFailure(`Proposal p-never_written is ${status}, not approved: nothing was deployed.`),
    );
    expect(demo.mutations()).toHaveLength(before);
  });

  it("reports HA's refusal in HA's words and leaves HA as it was", async () => {
    const broken = { id: 'broken', alias: 'Broken', triggers: 'not a list of triggers', actions: 42 };
    const before = await ha.getAutomationConfig('broken');
    await expect(deployer.deploy(automationProposal('broken', broken))).rejects.toThrow(/Home Assistant refused to save the automation: /);
    expect(await ha.getAutomationConfig('broken')).toEqual(before);
  });

  it('refuses a config whose id is not the one approved, before writing anything', async () => {
    const before = demo.mutations().length;
    await expect(deployer.deploy(automationProposal('approved_id', { ...porch, id: 'other_id' }))).rejects.toBeInstanceOf(DeployFailure);
    expect(demo.mutations()).toHaveLength(before);
  });

  it('says plainly which kinds it cannot deploy yet', async () => {
    const dashboard = { ...automationProposal('energy', {}), kind: 'dashboard' } as unknown as Proposal;
    await expect(deployer.deploy(dashboard)).rejects.toThrow('Deploying dashboard proposals is not available yet in this version of Aether.');
  });
});
