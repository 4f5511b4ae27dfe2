import { isDeepStrictEqual } from 'node:util';
import type { DashboardPayload, Proposal } from '@aether/core';
import { HomeAssistantClient, HomeAssistantError, type HaLovelaceConfig } from '@aether/home-assistant';
import { DeployFailure, refusedAs, type Deployment } from './proposal-deployer';

/**
 * What a dashboard deploy replaced: the config the existing dashboard had (null: it had none yet).
 * A deploy that created the dashboard snapshots null instead, and its rollback deletes it.
 */
export interface DashboardSnapshot {
  config: HaLovelaceConfig | null;
}

/**
 * Writes an approved dashboard proposal to Home Assistant over the WebSocket API and takes it back.
 * The deploy snapshots the dashboard's current config (or notes that the url path is new and
 * creates the dashboard with `lovelace/dashboards/create`), saves the config with
 * `lovelace/config/save`, and reads it back: HA answers the save with `null`, so only the read
 * shows it stored. When HA refuses or shows something else, what was there is put back.
 */
export class DashboardDeployer {
  constructor(private readonly ha: HomeAssistantClient) {}

  async deploy(proposal: Proposal): Promise<Deployment> {
    if (proposal.status !== 'approved') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not approved: nothing was deployed.`);
    const { urlPath, title, config } = proposal.payload as DashboardPayload;
    if (urlPath !== proposal.haId) throw new DeployFailure(`The dashboard's url path "${urlPath}" differs from the proposal's "${proposal.haId}": nothing was deployed.`);
    const dashboards = await refusedAs(() => this.ha.listLovelaceDashboards(), 'list its dashboards');
    const existing = dashboards.find((dashboard) => dashboard.url_path === urlPath);
    if (existing?.mode === 'yaml') throw new DeployFailure(`The dashboard ${urlPath} is kept in YAML, which Home Assistant does not save from the UI: nothing was deployed.`);
    const snapshot: DashboardSnapshot | null = existing ? { config: await refusedAs(() => this.ha.getLovelaceConfig(urlPath), `read the dashboard ${urlPath}`) } : null;
    if (!existing) await refusedAs(() => this.ha.createLovelaceDashboard({ url_path: urlPath, title, icon: 'mdi:view-dashboard', show_in_sidebar: true }), `create the dashboard ${urlPath}`);

    let stored: HaLovelaceConfig | null;
    try {
      await this.ha.saveLovelaceConfig(config, urlPath);
      stored = await this.ha.getLovelaceConfig(urlPath);
    } catch (error) {
      if (!(error instanceof HomeAssistantError)) throw error;
      await this.restore(urlPath, snapshot);
      throw new DeployFailure(`Home Assistant refused to save the dashboard ${urlPath}: ${error.message}; it was left as it was.`);
    }
    if (!isDeepStrictEqual(stored, config)) {
      await this.restore(urlPath, snapshot);
      throw new DeployFailure(`Home Assistant accepted the dashboard ${urlPath} but showed a different config when read back; the change was undone.`);
    }
    const views = (config['views'] as unknown[]).length;
    return { snapshot: snapshot as Record<string, unknown> | null, result: { haId: urlPath, urlPath, created: !existing, views } };
  }

  /** Puts back the config the deploy replaced, or deletes the dashboard the deploy created. */
  async rollback(proposal: Proposal): Promise<Record<string, unknown>> {
    if (proposal.status !== 'deployed') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not deployed: nothing to roll back.`);
    const snapshot = (proposal.snapshot ?? null) as DashboardSnapshot | null;
    await this.restore(proposal.haId, snapshot);
    return snapshot ? { haId: proposal.haId, restored: snapshot.config ? 'previous config' : 'no config' } : { haId: proposal.haId, removed: 'dashboard' };
  }

  private restore(urlPath: string, snapshot: DashboardSnapshot | null): Promise<void> {
    if (!snapshot) return refusedAs(() => this.ha.deleteLovelaceDashboard(urlPath), `delete the dashboard ${urlPath}`);
    const previous = snapshot.config;
    return previous
      ? refusedAs(() => this.ha.saveLovelaceConfig(previous, urlPath), `restore the previous dashboard ${urlPath}`)
      : refusedAs(() => this.ha.deleteLovelaceConfig(urlPath), `remove the config of the dashboard ${urlPath}`);
  }

}
