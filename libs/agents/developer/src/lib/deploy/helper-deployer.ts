import { haSlugify, type HelperPayload, type Proposal, type ProposalDraft } from '@aether/core';
import { HomeAssistantClient, isHelperDomain, validateHelperConfig, type HaHelperConfig, type HaHelperDomain, type HaHelperItem } from '@aether/home-assistant';
import type { DraftReview, LiveHome } from './draft-review';
import { DeployFailure, refusedAs, type Deployment } from './proposal-deployer';

/** What a helper deploy replaced: the changed helper's previous config (null: the deploy created the helper). */
export interface HelperSnapshot {
  item: HaHelperItem;
}

/**
 * Why a helper draft cannot be proposed: a helper domain, HA's own rules for its config
 * (`validateHelperConfig`: what `<domain>/create` would refuse), the proposal's haId being the id HA
 * will use, and — for a change — a UI-made helper of that id existing (a YAML one HA cannot change).
 * A new helper whose name is taken is refused too: HA would make `<name>_2` beside it, which is
 * rarely what was asked. A helper only holds a value, so its risk is normal.
 */
export function reviewHelperDraft(draft: ProposalDraft, home: LiveHome): DraftReview {
  const payload = draft.payload as Partial<HelperPayload>;
  const risk = { level: 'normal' as const, reasons: [] };
  if (!isHelperDomain(payload.domain)) {
    return { errors: [`A helper's payload.domain must be one of input_boolean, input_number, input_select, input_text, input_datetime, input_button, got ${JSON.stringify(payload.domain)}.`], risk };
  }
  const domain = payload.domain;
  const verdict = validateHelperConfig(domain, payload.config);
  if (!verdict.ok) return { errors: [`Home Assistant would refuse this ${domain} helper: ${verdict.reason}`], risk };
  const errors: string[] = [];
  const existing = (id: string) => home.states.find((state) => state.entity_id === `${domain}.${id}`);
  if (payload.id !== undefined) {
    const current = existing(payload.id);
    if (!current) errors.push(`There is no ${domain}.${payload.id} to change.`);
    else if (current.attributes['editable'] !== true) errors.push(`${domain}.${payload.id} is defined in YAML: Home Assistant cannot change it from the UI.`);
    if (draft.haId !== payload.id) errors.push(`The proposal's haId must be the helper's id "${payload.id}", got "${draft.haId}".`);
  } else {
    const id = haSlugify(verdict.config.name);
    if (existing(id)) errors.push(`${domain}.${id} exists already: propose a change to it (payload.id "${id}") or another name.`);
    if (draft.haId !== id) errors.push(`The proposal's haId must be the id Home Assistant will give the helper, "${id}" (its name slugified), got "${draft.haId}".`);
  }
  return { errors, risk };
}

/**
 * Makes an approved helper proposal in Home Assistant over the WebSocket API and takes it back. A
 * new helper is created (`<domain>/create`: HA adds its entity before it answers); a change
 * snapshots the helper's current config and replaces it (`<domain>/update`). The entity is then read
 * back through the entity registry (HA's id, the entity it made). Rollback deletes what the deploy
 * created, or puts the previous config back.
 */
export class HelperDeployer {
  constructor(private readonly ha: HomeAssistantClient) {}

  async deploy(proposal: Proposal): Promise<Deployment> {
    if (proposal.status !== 'approved') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not approved: nothing was deployed.`);
    const { domain, config, id } = helperPayload(proposal);
    if (id === undefined) {
      const item = await refusedAs(() => this.ha.createHelper(domain, config), `create the ${domain} helper "${config.name}"`);
      const entityId = await this.entityOf(domain, item.id);
      if (!entityId) {
        await refusedAs(() => this.ha.deleteHelper(domain, item.id), `remove the ${domain} helper ${item.id} it showed no entity for`);
        throw new DeployFailure(`Home Assistant created the ${domain} helper ${item.id} but showed no entity for it; it was removed again.`);
      }
      return { snapshot: null, result: { haId: item.id, entityId, created: true } };
    }
    const previous = (await refusedAs(() => this.ha.listHelpers(domain), `list its ${domain} helpers`)).find((item) => item.id === id);
    if (!previous) throw new DeployFailure(`Home Assistant has no UI-made ${domain} helper ${id} to change: nothing was deployed.`);
    await refusedAs(() => this.ha.updateHelper(domain, id, config), `change the ${domain} helper ${id}`);
    const entityId = await this.entityOf(domain, id);
    return { snapshot: { item: previous } as unknown as Record<string, unknown>, result: { haId: id, ...(entityId ? { entityId } : {}), created: false } };
  }

  async rollback(proposal: Proposal): Promise<Record<string, unknown>> {
    if (proposal.status !== 'deployed') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not deployed: nothing to roll back.`);
    const { domain } = helperPayload(proposal);
    const haId = String(proposal.deployResult?.['haId'] ?? proposal.haId);
    const snapshot = (proposal.snapshot ?? null) as unknown as HelperSnapshot | null;
    if (!snapshot) {
      await refusedAs(() => this.ha.deleteHelper(domain, haId), `delete the ${domain} helper ${haId}`);
      return { haId, removed: `${domain} helper` };
    }
    const { id: _id, ...config } = snapshot.item;
    await refusedAs(() => this.ha.updateHelper(domain, haId, config as HaHelperConfig), `restore the ${domain} helper ${haId}`);
    return { haId, restored: 'previous config' };
  }

  /** The entity HA made for a helper: the registry entry of its platform with the helper's id as unique id. */
  private async entityOf(domain: HaHelperDomain, id: string): Promise<string | undefined> {
    const registry = await refusedAs(() => this.ha.getEntityRegistry(), 'read its entity registry');
    const entityId = registry.find((entry) => entry.platform === domain && entry.unique_id === id)?.entity_id;
    return entityId && (await refusedAs(() => this.ha.getState(entityId), `read ${entityId}`)) ? entityId : undefined;
  }
}

function helperPayload(proposal: Proposal): { domain: HaHelperDomain; config: HaHelperConfig; id?: string } {
  const payload = proposal.payload as HelperPayload;
  if (!isHelperDomain(payload.domain)) throw new DeployFailure(`Proposal ${proposal.id} names no helper domain: nothing was deployed.`);
  return { domain: payload.domain, config: payload.config as HaHelperConfig, ...(payload.id !== undefined ? { id: payload.id } : {}) };
}
