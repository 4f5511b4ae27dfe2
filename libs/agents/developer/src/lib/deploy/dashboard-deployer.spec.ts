import type { Proposal, ProposalStatus } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { DashboardDeployer } from './dashboard-deployer';
import { DeployFailure } from './proposal-deployer';

const NOW = Date.parse('2026-11-20T18:30:00Z');

function dashboardProposal(urlPath: string, config: Record<string, unknown>, status: ProposalStatus = 'approved', snapshot?: Record<string, unknown> | null): Proposal<'dashboard'> {
  return {
    id: `p-${urlPath}`,
    kind: 'dashboard',
    title: 'Energy',
    description: '',
    payload: { urlPath, title: 'Energy', config },
    haId: urlPath,
    risk: { level: 'normal', reasons: [] },
    userId: 'alice',
    conversationId: 'c',
    status,
    version: 1,
    ...(snapshot === undefined ? {} : { snapshot }),
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
  };
}

const energy = { title: 'Energy', views: [{ type: 'sections', title: 'Energy', sections: [{ type: 'grid', cards: [{ type: 'energy-date-selection' }, { type: 'energy-usage-graph' }] }] }] };
const better = { title: 'Energy', views: [{ type: 'sections', title: 'Energy', sections: [{ type: 'grid', cards: [{ type: 'energy-distribution' }] }] }] };

describe('DashboardDeployer against the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let deployer: DashboardDeployer;

  beforeEach(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 10_000 });
    deployer = new DashboardDeployer(ha);
  }, 60_000);
  afterEach(async () => {
    await ha?.close();
    await demo?.stop();
  });

  const writes = () => demo.mutations().map((m) => ({ kind: m.kind, outcome: m.outcome, url_path: m['url_path'], config: m['config'] }));

  it('creates a new dashboard, saves the config and reads it back; rollback deletes the dashboard — exactly those writes', async () => {
    const deployment = await deployer.deploy(dashboardProposal('energy-board', energy));
    expect(deployment).toEqual({ snapshot: null, result: { haId: 'energy-board', urlPath: 'energy-board', created: true, views: 1 } });
    expect(await ha.getLovelaceConfig('energy-board')).toEqual(energy);
    expect(await ha.listLovelaceDashboards()).toEqual([expect.objectContaining({ url_path: 'energy-board', title: 'Energy', mode: 'storage' })]);

    expect(await deployer.rollback(dashboardProposal('energy-board', energy, 'deployed', deployment.snapshot))).toEqual({ haId: 'energy-board', removed: 'dashboard' });
    expect(await ha.listLovelaceDashboards()).toEqual([]);
    expect(demo.mutations().map((m) => `${m.kind}:${m.outcome}`)).toEqual(['dashboard_create:ok', 'lovelace_save:ok', 'dashboard_delete:ok']);
    expect(writes()[1]).toEqual({ kind: 'lovelace_save', outcome: 'ok', url_path: 'energy-board', config: energy });
  });

  it('replaces an existing dashboard’s config and rolls back to exactly the previous one', async () => {
    await ha.createLovelaceDashboard({ url_path: 'energy-board', title: 'Energy' });
    await ha.saveLovelaceConfig(energy, 'energy-board');
    const before = demo.mutations().length;

    const deployment = await deployer.deploy(dashboardProposal('energy-board', better));
    expect(deployment).toEqual({ snapshot: { config: energy }, result: { haId: 'energy-board', urlPath: 'energy-board', created: false, views: 1 } });
    expect(await ha.getLovelaceConfig('energy-board')).toEqual(better);
    await deployer.rollback(dashboardProposal('energy-board', better, 'deployed', deployment.snapshot));
    expect(await ha.getLovelaceConfig('energy-board')).toEqual(energy);
    expect(writes().slice(before)).toEqual([
      { kind: 'lovelace_save', outcome: 'ok', url_path: 'energy-board', config: better },
      { kind: 'lovelace_save', outcome: 'ok', url_path: 'energy-board', config: energy },
    ]);
  });

  it('rolls an existing dashboard that had no config back to none', async () => {
    await ha.createLovelaceDashboard({ url_path: 'energy-board', title: 'Energy' });
    const deployment = await deployer.deploy(dashboardProposal('energy-board', energy));
    expect(deployment.snapshot).toEqual({ config: null });
    await deployer.rollback(dashboardProposal('energy-board', energy, 'deployed', deployment.snapshot));
    expect(await ha.getLovelaceConfig('energy-board')).toBeNull();
    expect(demo.mutations().map((m) => `${m.kind}:${m.outcome}`)).toEqual(['dashboard_create:ok', 'lovelace_save:ok', 'lovelace_delete:ok']);
  });

  it('deploys nothing unless approved, and undoes the created dashboard when HA refuses the config', async () => {
    await expect(deployer.deploy(dashboardProposal('energy-board', energy, 'proposed'))).rejects.toThrow(new DeployFailure('Proposal p-energy-board is proposed, not approved: nothing was deployed.'));
    await expect(deployer.rollback(dashboardProposal('energy-board', energy, 'approved'))).rejects.toThrow(DeployFailure);
    expect(demo.mutations()).toEqual([]);

    const refused = deployer.deploy(dashboardProposal('energy-board', { title: 'no views' }));
    await expect(refused).rejects.toThrow(/Home Assistant refused to save the dashboard energy-board: .*it was left as it was\./);
    expect(await ha.listLovelaceDashboards()).toEqual([]);
    expect(demo.mutations().map((m) => `${m.kind}:${m.outcome}`)).toEqual(['dashboard_create:ok', 'lovelace_save:error', 'dashboard_delete:ok']);
  });
});
