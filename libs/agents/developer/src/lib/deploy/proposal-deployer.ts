import { Injectable, Optional } from '@nestjs/common';
import type { Proposal, ProposalKind } from '@aether/core';
import {
  deleteConfigAndAwaitRemoval,
  HomeAssistantClient,
  HomeAssistantError,
  saveConfigAndAwaitEntity,
  type HaConfigKind,
  type HaEntityState,
} from '@aether/home-assistant';

/** What a deploy did: the config it replaced (null: it created something new) and what HA shows now. */
export interface Deployment {
  snapshot: Record<string, unknown> | null;
  /** What HA shows after the deploy: the id and entity (a dashboard has none), and what else the kind reports (states reached). */
  result: { haId: string; entityId?: string; [detail: string]: unknown };
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

/** Runs one HA call of a deploy or rollback; HA's refusal becomes a `DeployFailure` saying what was refused, in HA's words. */
export async function refusedAs<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HomeAssistantError) throw new DeployFailure(`Home Assistant refused to ${what}: ${error.message}`);
    throw error;
  }
}

/** Reads the stored config of each kind a proposal can deploy through HA's config API. */
const STORED_CONFIG: Partial<Record<ProposalKind, (ha: HomeAssistantClient, id: string) => Promise<Record<string, unknown> | null>>> = {
  automation: (ha, id) => ha.getAutomationConfig(id),
  script: (ha, id) => ha.getScriptConfig(id),
  scene: (ha, id) => ha.getSceneConfig(id),
};

/**
 * Writes an approved proposal to Home Assistant and takes it back. Only an `approved` proposal is
 * deployed and only a `deployed` one rolled back — whoever calls — so no path reaches HA without
 * an approval. A deploy snapshots what it replaces, writes through HA's config API, and waits for
 * HA to show the result (`saveConfigAndAwaitEntity`: HA reloads asynchronously, so its
 * `{"result":"ok"}` is not the entity); when HA refuses, nothing changed, and when the result never
 * shows, the write is undone.
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
      throw new DeployFailure(`The ${kind} config's id "${config['id']}" differs from the proposal's "${proposal.haId}": nothing was deployed.`);
    }
    const snapshot = await refusedAs(() => STORED_CONFIG[kind]!(this.ha, proposal.haId), `read the current ${kind} ${proposal.haId}`);
    try {
      const entity = await saveConfigAndAwaitEntity(this.ha, kind, proposal.haId, config as never, { timeoutMs: this.verifyTimeoutMs });
      return { snapshot, result: { haId: proposal.haId, entityId: entity.entity_id } };
    } catch (error) {
      if (!(error instanceof HomeAssistantError)) throw error;
      if (error.kind !== 'timeout') throw new DeployFailure(`Home Assistant refused to save the ${kind}: ${error.message}`);
      // Written, perhaps, but never shown: put back what was there.
      await this.restore(kind, proposal.haId, snapshot);
      throw new DeployFailure(`Home Assistant accepted the ${kind} but did not show it within ${this.verifyTimeoutMs / 1000} s; the change was undone.`);
    }
  }

  /** Puts back what the deploy replaced (or removes what it created), once HA shows it; returns the entity that remains, if any. */
  async rollback(proposal: Proposal): Promise<{ haId: string; entityId: string | null }> {
    if (proposal.status !== 'deployed') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not deployed: nothing to roll back.`);
    const kind = this.configKind(proposal);
    const entity = await this.restore(kind, proposal.haId, proposal.snapshot ?? null);
    return { haId: proposal.haId, entityId: entity?.entity_id ?? null };
  }

  private configKind(proposal: Proposal): HaConfigKind {
    if (!STORED_CONFIG[proposal.kind]) throw new DeployFailure(`Deploying ${proposal.kind.replace('_', ' ')} proposals is not available yet in this version of Aether.`);
    return proposal.kind as HaConfigKind;
  }

  private restore(kind: HaConfigKind, id: string, snapshot: Record<string, unknown> | null): Promise<HaEntityState | undefined> {
    const options = { timeoutMs: this.verifyTimeoutMs };
    return refusedAs(
      async () => (snapshot ? saveConfigAndAwaitEntity(this.ha, kind, id, snapshot as never, options) : void (await deleteConfigAndAwaitRemoval(this.ha, kind, id, options))),
      snapshot ? `restore the previous ${kind} ${id}` : `remove the ${kind} ${id}`,
    );
  }

}
