import type { HelperPayload, Proposal, ProposalDraft, ProposalStatus } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { HelperDeployer, reviewHelperDraft } from './helper-deployer';
import { DeployFailure } from './proposal-deployer';

const NOW = Date.parse('2026-11-20T18:30:00Z');

function draft(payload: HelperPayload, haId: string): ProposalDraft<'helper'> {
  return { kind: 'helper', title: String(payload.config['name']), description: '', payload, haId, risk: { level: 'normal', reasons: [] } };
}

function proposal(payload: HelperPayload, haId: string, status: ProposalStatus = 'approved', extra: Partial<Proposal<'helper'>> = {}): Proposal<'helper'> {
  return { ...draft(payload, haId), id: `p-${haId}`, userId: 'alice', conversationId: 'c', status, version: 1, createdAt: new Date(NOW).toISOString(), updatedAt: new Date(NOW).toISOString(), ...extra };
}

describe('helper proposals against the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let deployer: HelperDeployer;
  const home = async () => ({ states: await ha.getStates(), services: await ha.getServices() });

  beforeEach(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    deployer = new HelperDeployer(ha);
  });
  afterEach(async () => {
    await ha?.close();
    await demo?.stop();
  });

  it("reviews a draft by HA's rules and the live home: the config, the id HA will use, a name already taken, what can be changed", async () => {
    const live = await home();
    expect(reviewHelperDraft(draft({ domain: 'input_boolean', config: { name: 'Party mode' } }, 'party_mode'), live).errors).toEqual([]);
    expect(reviewHelperDraft(draft({ domain: 'input_number', config: { name: 'Humidity', min: 70, max: 30 } }, 'humidity'), live).errors).toEqual([
      'Home Assistant would refuse this input_number helper: Maximum (70.0) is not greater than minimum (30.0)',
    ]);
    expect(reviewHelperDraft(draft({ domain: 'input_boolean', config: { name: 'Guest mode' } }, 'guest_mode'), live).errors).toEqual([
      'input_boolean.guest_mode exists already: propose a change to it (payload.id "guest_mode") or another name.',
    ]);
    expect(reviewHelperDraft(draft({ domain: 'input_boolean', config: { name: 'Party mode' } }, 'party'), live).errors[0]).toContain('"party_mode" (its name slugified)');
    expect(reviewHelperDraft(draft({ domain: 'input_boolean', config: { name: 'Guests' }, id: 'no_such' }, 'no_such'), live).errors).toEqual(['There is no input_boolean.no_such to change.']);
    expect(reviewHelperDraft(draft({ domain: 'counter' as never, config: { name: 'x' } }, 'x'), live).errors[0]).toContain('payload.domain must be one of');
  });

  it('creates a new helper, shows its entity, and rolls it back by deleting it', async () => {
    const created = proposal({ domain: 'input_select', config: { name: 'Heating mode', options: ['Eco', 'Comfort'], initial: 'Comfort' } }, 'heating_mode');
    const deployment = await deployer.deploy(created);
    expect(deployment).toEqual({ snapshot: null, result: { haId: 'heating_mode', entityId: 'input_select.heating_mode', created: true } });
    expect(await ha.getState('input_select.heating_mode')).toMatchObject({ state: 'Comfort', attributes: { options: ['Eco', 'Comfort'] } });
    expect(demo.mutations().map((m) => [m.kind, m.outcome])).toEqual([['helper_create', 'ok']]);

    const rolledBack = await deployer.rollback({ ...created, status: 'deployed', snapshot: null, deployResult: deployment.result });
    expect(rolledBack).toEqual({ haId: 'heating_mode', removed: 'input_select helper' });
    expect(await ha.getState('input_select.heating_mode')).toBeNull();
  });

  it("changes an existing helper, keeping its previous config, and puts it back on rollback", async () => {
    const change = proposal({ domain: 'input_boolean', config: { name: 'Visitors', icon: 'mdi:account-group' }, id: 'guest_mode' }, 'guest_mode');
    const deployment = await deployer.deploy(change);
    expect(deployment.snapshot).toEqual({ item: { id: 'guest_mode', name: 'Guest mode', icon: 'mdi:account-multiple' } });
    expect((await ha.getState('input_boolean.guest_mode'))?.attributes['friendly_name']).toBe('Visitors');
    await deployer.rollback({ ...change, status: 'deployed', snapshot: deployment.snapshot, deployResult: deployment.result });
    expect((await ha.getState('input_boolean.guest_mode'))?.attributes).toMatchObject({ friendly_name: 'Guest mode', icon: 'mdi:account-multiple' });
  });

  it("leaves HA as it was when HA refuses, saying why in HA's words; deploys only approved proposals", async () => {
    const refused = deployer.deploy(proposal({ domain: 'input_number', config: { name: 'Bad', min: 5, max: 1 } }, 'bad'));
    await expect(refused).rejects.toBeInstanceOf(DeployFailure);
    await expect(refused).rejects.toThrow(/^Home Assistant refused to create the input_number helper "Bad": .*invalid_format: Maximum \(5\.0\) is not greater than minimum \(1\.0\)$/);
    await expect(deployer.deploy(proposal({ domain: 'input_boolean', config: { name: 'Party' } }, 'party', 'proposed'))).rejects.toThrow(/not approved: nothing was deployed/);
    expect(await ha.getState('input_number.bad')).toBeNull();
    expect(demo.mutations().every((m) => m.outcome === 'error')).toBe(true);
  });
});
