import type { ProposalDraft, ProposalRisk } from '@aether/core';
import type { HaEntityState, HaServiceDomain } from '@aether/home-assistant';

/** The live home a draft is checked against: what exists now. */
export interface LiveHome {
  states: readonly HaEntityState[];
  services: readonly HaServiceDomain[];
}

export interface DraftReview {
  /** Why the draft cannot be proposed (empty: it can); written for the model to fix them. */
  errors: string[];
  risk: ProposalRisk;
}

/** Domains whose services change who can get in, or open the house. */
const SECURITY_DOMAINS = new Set(['lock', 'alarm_control_panel']);
/** Covers that are ways into the house. */
const ENTRANCE_COVER_CLASSES = new Set(['garage', 'gate', 'door']);
/** Services that stop an automation from running. */
const DISABLING_SERVICES = new Set(['automation.turn_off', 'automation.toggle']);
const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;
/** Values of `entity_id` that name no entity: keywords and templates. */
const NOT_AN_ENTITY = /^(all|none)$|\{\{|\{%/;

/** What a draft's payload refers to: entity ids and `domain.service` calls, wherever HA's schemas put them. */
export function referencesOf(draft: ProposalDraft): { entityIds: string[]; services: string[] } {
  const entityIds = new Set<string>();
  const services = new Set<string>();
  const addEntities = (value: unknown) => {
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string' && !NOT_AN_ENTITY.test(id)) entityIds.add(id);
  };
  const walk = (node: unknown, parentKey?: string): void => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, parentKey));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'entity_id') addEntities(value);
      // An action item's `action` (HA ≥ 2024.8) or `service` names the call; `actions` (plural) is the list.
      else if ((key === 'action' || key === 'service') && typeof value === 'string' && !value.includes('{')) services.add(value);
      // A scene's `entities` maps entity ids to the states it sets.
      else if (key === 'entities' && parentKey === 'scene' && value && typeof value === 'object' && !Array.isArray(value)) addEntities(Object.keys(value));
      walk(value, key);
    }
  };
  switch (draft.kind) {
    case 'entity_command': {
      const payload = draft.payload as ProposalDraft<'entity_command'>['payload'];
      services.add(`${payload.domain}.${payload.service}`);
      addEntities(payload.entityIds);
      walk(payload.data);
      break;
    }
    case 'scene':
      walk({ scene: (draft.payload as ProposalDraft<'scene'>['payload']).config });
      break;
    default:
      walk((draft.payload as { config?: unknown }).config);
  }
  return { entityIds: [...entityIds], services: [...services] };
}

/**
 * Checks a draft against the live home before it may become a proposal: every entity and service
 * it names must exist (a typo'd id would deploy an automation that silently does nothing), and
 * what touches locks, alarm panels, entrance covers or switches automations off is marked
 * high-risk with the reasons, so the approval says so.
 */
export function reviewDraft(draft: ProposalDraft, home: LiveHome): DraftReview {
  const { entityIds, services } = referencesOf(draft);
  const states = new Map(home.states.map((state) => [state.entity_id, state]));
  const known = new Set(home.services.flatMap((domain) => Object.keys(domain.services).map((service) => `${domain.domain}.${service}`)));
  const errors: string[] = [];
  for (const id of entityIds) {
    if (!ENTITY_ID.test(id)) errors.push(`"${id}" is not an entity id (expected domain.object_id in lower case).`);
    else if (!states.has(id)) errors.push(`Unknown entity "${id}": Home Assistant has no such entity.`);
  }
  for (const service of services) {
    if (!known.has(service)) errors.push(`Unknown service "${service}": Home Assistant offers no such service.`);
  }

  const reasons: string[] = [];
  const describe = (id: string) => String(states.get(id)?.attributes?.['friendly_name'] ?? id);
  for (const id of entityIds.filter((known) => states.has(known))) {
    const domain = id.split('.')[0];
    const deviceClass = states.get(id)?.attributes?.['device_class'];
    if (SECURITY_DOMAINS.has(domain)) reasons.push(`It controls ${describe(id)} (${domain.replace(/_/g, ' ')}).`);
    else if (domain === 'cover' && typeof deviceClass === 'string' && ENTRANCE_COVER_CLASSES.has(deviceClass)) {
      reasons.push(`It moves ${describe(id)} (a ${deviceClass}).`);
    }
  }
  const reportedDomains = new Set(entityIds.filter((id) => states.has(id)).map((id) => id.split('.')[0]));
  for (const service of services) {
    // A security service on no named entity (e.g. a template target) still counts.
    if (SECURITY_DOMAINS.has(service.split('.')[0]) && !reportedDomains.has(service.split('.')[0])) reasons.push(`It calls ${service}.`);
    if (DISABLING_SERVICES.has(service)) reasons.push(`It can switch automations off (${service}).`);
  }
  return { errors, risk: { level: reasons.length > 0 ? 'high' : 'normal', reasons: [...new Set(reasons)] } };
}
