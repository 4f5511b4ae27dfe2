import { Injectable, Optional } from '@nestjs/common';
import type { Proposal, ProposalKind } from '@aether/core';
import { HomeAssistantClient, HomeAssistantError, type HaEntityState } from '@aether/home-assistant';

/** What a deploy did: the config it replaced (null: it created something new) and what HA shows now. */
export interface Deployment {
  snapshot: Record<string, unknown> | null;
  result: { haId: string; entityId: string };
}

/** A deploy or rollback that did not happen; HA was left as it was, and `message` says why (in HA's words where HA refused). */
export class DeployFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployFailure';
  }
}

export interface ProposalDeployerOptions {
  /** How long HA may take to show a written config as an entity (it reloads asynchronously). Default 10 s. */
  verifyTimeoutMs?: number;
}

/** HA's config API for one kind, and how to find the entity a stored config becomes. */
interface ConfigKind {
  label: string;
  /** The config key HA shows as the entity's `friendly_name`. */
  nameKey: string;
  get(ha: HomeAssistantClient, id: string): Promise<Record<string, unknown> | null>;
  save(ha: HomeAssistantClient, id: string, config: Record<string, unknown>): Promise<unknown>;
  remove(ha: HomeAssistantClient, id: string): Promise<unknown>;
  /** The entity of config `id` among HA's states (automations and scenes carry their config id as the `id` attribute). */
  entityOf(states: HaEntityState[], id: string): HaEntityState | undefined;
}

const byIdAttribute = (domain: string) => (states: HaEntityState[], id: string) =>
  states.find((state) => state.entity_id.startsWith(`${domain}.`) && state.attributes?.['id'] === id);

const CONFIG_KINDS: Partial<Record<ProposalKind, ConfigKind>> = {
  automation: {
    label: 'automation',
    nameKey: 'alias',
    get: (ha, id) => ha.getAutomationConfig(id),
    save: (ha, id, config) => ha.saveAutomationConfig(id, config),
    remove: (ha, id) => ha.deleteAutomationConfig(id),
    entityOf: byIdAttribute('automation'),
  },
  script: {
    label: 'script',
    nameKey: 'alias',
    get: (ha, id) => ha.getScriptConfig(id),
    save: (ha, id, config) => ha.saveScriptConfig(id, config as never),
    remove: (ha, id) => ha.deleteScriptConfig(id),
    entityOf: (states, id) => states.find((state) => state.entity_id === `script.${id}`),
  },
  scene: {
    label: 'scene',
    nameKey: 'name',
    get: (ha, id) => ha.getSceneConfig(id),
    save: (ha, id, config) => ha.saveSceneConfig(id, config as never),
    remove: (ha, id) => ha.deleteSceneConfig(id),
    entityOf: byIdAttribute('scene'),
  },
};

/**
 * Writes an approved proposal to Home Assistant and takes it back. Only an `approved` proposal is
 * deployed and only a `deployed` one rolled back — whoever calls — so no path reaches HA without
 * an approval. A deploy snapshots what it replaces, writes through HA's config API, and waits for
 * HA to show the result (HA reloads asynchronously: its `{"result":"ok"}` is not the entity); when
 * HA refuses, nothing changed, and when the result never shows, the write is undone.
 */
@Injectable()
export class ProposalDeployer {
  private readonly verifyTimeoutMs: number;

  constructor(
    private readonly ha: HomeAssistantClient,
    @Optional() options?: ProposalDeployerOptions,
  ) {
    this.verifyTimeoutMs = options?.verifyTimeoutMs ?? 10_000;
  }

  async deploy(proposal: Proposal): Promise<Deployment> {
    if (proposal.status !== 'approved') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not approved: nothing was deployed.`);
    const kind = this.configKind(proposal);
    const config = (proposal.payload as { config: Record<string, unknown> }).config;
    if (typeof config['id'] === 'string' && config['id'] !== proposal.haId) {
      // HA would store it under the body's id, not the one the approval named.
      throw new DeployFailure(`The ${kind.label} config's id "${config['id']}" differs from the proposal's "${proposal.haId}": nothing was deployed.`);
    }
    const snapshot = await this.refusedAs(() => kind.get(this.ha, proposal.haId), `read the current ${kind.label} ${proposal.haId}`);
    await this.refusedAs(() => kind.save(this.ha, proposal.haId, config), `save the ${kind.label}`);
    // Live means the entity is there with the new config's name (an update's entity existed before the write).
    const name = config[kind.nameKey];
    const entity = await this.waitFor(() =>
      this.entity(kind, proposal.haId, (state) => !!state && (typeof name !== 'string' || state.attributes?.['friendly_name'] === name)),
    );
    if (!entity) {
      await this.restore(kind, proposal.haId, snapshot);
      throw new DeployFailure(
        `Home Assistant accepted the ${kind.label} but showed no entity for it within ${this.verifyTimeoutMs / 1000} s; the change was undone.`,
      );
    }
    return { snapshot, result: { haId: proposal.haId, entityId: entity.entity_id } };
  }

  /** Puts back what the deploy replaced (or removes what it created); returns the entity that remains, if any. */
  async rollback(proposal: Proposal): Promise<{ haId: string; entityId: string | null }> {
    if (proposal.status !== 'deployed') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not deployed: nothing to roll back.`);
    const kind = this.configKind(proposal);
    const snapshot = proposal.snapshot ?? null;
    await this.restore(kind, proposal.haId, snapshot);
    const expectPresent = snapshot !== null;
    const settled = await this.waitFor(async () => {
      const entity = await this.entity(kind, proposal.haId, () => true);
      return expectPresent === !!entity ? { entity } : undefined;
    });
    if (!settled) {
      throw new DeployFailure(`Home Assistant did not show the rolled-back ${kind.label} ${proposal.haId} within ${this.verifyTimeoutMs / 1000} s.`);
    }
    return { haId: proposal.haId, entityId: settled.entity?.entity_id ?? null };
  }

  private configKind(proposal: Proposal): ConfigKind {
    const kind = CONFIG_KINDS[proposal.kind];
    if (!kind) throw new DeployFailure(`Deploying ${proposal.kind.replace('_', ' ')} proposals is not available yet in this version of Aether.`);
    return kind;
  }

  private async restore(kind: ConfigKind, id: string, snapshot: Record<string, unknown> | null): Promise<void> {
    if (snapshot) await this.refusedAs(() => kind.save(this.ha, id, snapshot), `restore the previous ${kind.label} ${id}`);
    else await this.refusedAs(() => kind.remove(this.ha, id), `remove the ${kind.label} ${id}`);
  }

  private async entity(kind: ConfigKind, id: string, accept: (state: HaEntityState | undefined) => boolean): Promise<HaEntityState | undefined> {
    const entity = kind.entityOf(await this.ha.getStates(), id);
    return accept(entity) ? entity : undefined;
  }

  /** Polls `probe` with growing pauses (50 ms → 1 s) until it gives a value or the verify timeout passes. */
  private async waitFor<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + this.verifyTimeoutMs;
    for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
      const found = await probe();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    }
  }

  private async refusedAs<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof HomeAssistantError) throw new DeployFailure(`Home Assistant refused to ${what}: ${error.message}`);
      throw error;
    }
  }
}
