import type { CatalogEntityView, CatalogQueryResult, HelperDomain, Insight, Proposal } from '@aether/core';
import type { OfflineDecision } from '@aether/llm';
import type { ToolMessage } from '@langchain/core/messages';
import { SEARCH_ENTITIES } from '../catalog/catalog.tools';
import {
  GET_AUTOMATION_SUGGESTIONS,
  GET_PENDING_PROPOSALS,
  PROPOSE_CONFIG,
  PROPOSE_ENTITY_COMMAND,
  PROPOSE_HELPER,
  PROPOSE_SUGGESTED_AUTOMATION,
  PROPOSAL_TOOL_NAMES,
} from '../proposals/proposal.tools';
import { sunOffset, type ChangeRequest, type ParsedAction, type ParsedTrigger } from './change-request.parser';

/** An action on a device of the home (every action but a notification). */
type DeviceAction = Exclude<ParsedAction, { kind: 'notify' }>;

const SEARCH_LIMIT = 10;
/** How a helper type is called in a proposal's title. */
const HELPER_NOUNS: Readonly<Record<HelperDomain, string>> = {
  input_boolean: 'toggle',
  input_number: 'number',
  input_select: 'dropdown',
  input_text: 'text',
  input_datetime: 'date/time',
  input_button: 'button',
};
/** Domains a switch action can act on, most likely first. */
const SWITCHABLE = ['light', 'switch', 'fan', 'input_boolean', 'media_player', 'cover', 'lock', 'climate'];

/**
 * The offline model's steps for a change request: find each entity the request names through the
 * catalog (`search_entities`: the action's target first, then the trigger's subject), propose the
 * automation or command built from them (`propose_*`), then answer with the proposal's summary as
 * the Developer stored it, or with why it was not proposed. A revision reads the conversation's
 * pending proposal first (`get_pending_proposals`) and proposes it again with the new trigger.
 */
export function nextProposalStep(request: ChangeRequest, results: readonly ToolMessage[]): OfflineDecision {
  const proposed = results.filter((m) => (PROPOSAL_TOOL_NAMES as readonly string[]).includes(m.name ?? '')).at(-1);
  if (proposed) {
    if (isProposal(proposed.artifact) && proposed.status !== 'error') return text(proposed.text);
    // The Developer's reasons, without the tool's advice to the model on retrying.
    const reasons = (proposed.artifact as { errors?: unknown } | undefined)?.errors;
    return text(`I could not save that as a proposal.\n\n${typeof reasons === 'string' ? reasons : proposed.text}`);
  }

  if (request.kind === 'revise') return reviseStep(request.trigger, results);
  if (request.kind === 'automate_suggestion') return automateSuggestionStep(request.named, results);
  if (request.kind === 'helper') {
    // A helper names no device: it is proposed as asked.
    const { domain, config } = request.helper;
    const type = HELPER_NOUNS[domain];
    return call(PROPOSE_HELPER, { title: `${config.name} (${type})`, description: `A new ${type} helper, ${config.name}.`, domain, config });
  }

  const searches = results.filter((m) => m.name === SEARCH_ENTITIES);
  const failed = searches.find((m) => m.status === 'error');
  if (failed) return text(`I could not look up your devices: ${failed.text}`);
  // One search per entity the request names, in order: the action's target, then the trigger's subject.
  const action = request.action;
  const trigger = request.kind === 'automation' ? request.trigger : undefined;
  const needs: Array<{ words: string; domain?: string }> = [];
  if (action.kind !== 'notify') needs.push({ words: actionTarget(action), ...(action.kind === 'temperature' ? { domain: 'climate' } : action.kind === 'automation' ? { domain: 'automation' } : {}) });
  if (trigger && (trigger.kind === 'state' || trigger.kind === 'numeric')) needs.push({ words: trigger.subject });
  if (searches.length < needs.length) return search(needs[searches.length].words, needs[searches.length].domain);

  let target: CatalogEntityView | undefined;
  if (action.kind !== 'notify') {
    target = chooseTarget(entitiesOf(searches[0]), action);
    if (!target) return text(`I could not find "${needs[0].words}" in your home, so I made no proposal. Which device do you mean?`);
  }

  if (request.kind === 'command' && action.kind !== 'notify') {
    const { domain, service, data } = serviceFor(action, target!);
    return call(PROPOSE_ENTITY_COMMAND, {
      title: `${actionVerb(action)} ${target!.name}`,
      description: `${actionVerb(action)} ${target!.name} (${target!.entity_id}), once.`,
      domain,
      service,
      entity_ids: [target!.entity_id],
      ...(data ? { data } : {}),
    });
  }

  // A command always names a device (a notification is parsed only with a trigger).
  if (request.kind === 'command') return text('Tell me when to send the notification, e.g. "notify me when the front door opens".');
  const when = request.trigger;
  let subject: CatalogEntityView | undefined;
  if (when.kind === 'state' || when.kind === 'numeric') {
    subject = chooseSubject(entitiesOf(searches[needs.length - 1]), when);
    if (!subject) return text(`I could not find "${when.subject}" in your home, so I made no proposal. Which sensor or device do you mean?`);
  }
  const what = action.kind !== 'notify' && target ? `${target.name} ${actionWords(action)}` : 'Notify me';
  const title = `${what} ${triggerWords(when, subject)}`;
  const doing = action.kind !== 'notify' && target ? `${actionVerb(action)} ${target.name} (${target.entity_id})` : 'Sends a notification';
  return call(PROPOSE_CONFIG, {
    kind: 'automation',
    title,
    description: `${doing} ${triggerWords(when, subject)}.`,
    config: {
      alias: title,
      description: `Created by Aether: ${doing.charAt(0).toLowerCase()}${doing.slice(1)} ${triggerWords(when, subject)}.`,
      triggers: [haTrigger(when, subject)],
      conditions: [],
      actions: [haAction(action, target, title)],
      mode: 'single',
    },
  });
}

function haAction(action: ParsedAction, target: CatalogEntityView | undefined, title: string): Record<string, unknown> {
  // Every HA install has the persistent notification (shown in HA's own UI); a phone's notifier
  // (notify.mobile_app_…) differs per home, which a language model can look up and use instead.
  if (action.kind === 'notify') return { action: 'notify.persistent_notification', data: { message: action.message ?? title } };
  const { domain, service, data } = serviceFor(action, target!);
  return { action: `${domain}.${service}`, target: { entity_id: target!.entity_id }, ...(data ? { data } : {}) };
}

/**
 * "Automate it" after the team suggested automations: read this conversation's suggestions, pick
 * the one the words name (else the newest), and propose it as suggested.
 */
function automateSuggestionStep(named: string | undefined, results: readonly ToolMessage[]): OfflineDecision {
  const listed = results.filter((m) => m.name === GET_AUTOMATION_SUGGESTIONS).at(-1);
  if (!listed) return call(GET_AUTOMATION_SUGGESTIONS, {});
  const suggestions = Array.isArray(listed.artifact) ? (listed.artifact as Insight[]) : [];
  if (suggestions.length === 0) return text('The data science team has suggested no automation in this conversation yet. Ask "What could I automate?" first, then say which one to automate.');
  const words = (named ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2);
  const matching = words.length === 0 ? suggestions : suggestions.filter((s) => words.every((word) => `${s.title} ${s.automationSuggestion?.alias ?? ''}`.toLowerCase().includes(word)));
  if (matching.length === 0) {
    return text(`None of the suggested automations is about "${named}". The team suggested:\n${suggestions.map((s) => `- ${s.automationSuggestion!.alias} (${s.title})`).join('\n')}`);
  }
  return call(PROPOSE_SUGGESTED_AUTOMATION, { insight_id: matching[0].id });
}

function reviseStep(trigger: ParsedTrigger, results: readonly ToolMessage[]): OfflineDecision {
  const pending = results.filter((m) => m.name === GET_PENDING_PROPOSALS).at(-1);
  if (!pending) return call(GET_PENDING_PROPOSALS, {});
  const proposal = (Array.isArray(pending.artifact) ? (pending.artifact as Proposal[]) : []).find((p) => p.kind === 'automation');
  if (!proposal) return text('There is no automation proposal waiting for your approval in this conversation, so there is nothing to change. Describe the automation you want and I will propose it.');
  if (trigger.kind === 'state' || trigger.kind === 'numeric') {
    return text('I can change a pending proposal to another time (at HH:MM, or sunset/sunrise with an offset) offline; describe the whole automation again for a trigger on a device.');
  }
  const config = (proposal.payload as { config: Record<string, unknown> }).config;
  const when = triggerWords(trigger);
  const title = proposal.title.replace(/\s+(?:at|\d+ minutes? (?:before|after))\s+.*$/, '') + ` ${when}`;
  return call(PROPOSE_CONFIG, {
    kind: 'automation',
    title,
    description: `${proposal.description.replace(/\s+(?:at|\d+ minutes? (?:before|after))\s+[^.]*\.?$/, '')} ${when}.`,
    config: { ...config, alias: title, triggers: [haTrigger(trigger)] },
    revises: proposal.id,
  });
}

function haTrigger(trigger: ParsedTrigger, subject?: CatalogEntityView): Record<string, unknown> {
  switch (trigger.kind) {
    case 'sun': {
      const offset = sunOffset(trigger.offsetMinutes);
      return { trigger: 'sun', event: trigger.event, ...(offset ? { offset } : {}) };
    }
    case 'time':
      return { trigger: 'time', at: trigger.at };
    case 'state': {
      // A door sensor is a binary_sensor: "open" is its "on".
      const to = subject?.domain === 'binary_sensor' ? (trigger.to === 'open' ? 'on' : trigger.to === 'closed' ? 'off' : trigger.to) : trigger.to;
      return { trigger: 'state', entity_id: subject!.entity_id, to };
    }
    case 'numeric':
      return { trigger: 'numeric_state', entity_id: subject!.entity_id, ...(trigger.below !== undefined ? { below: trigger.below } : { above: trigger.above }) };
  }
}

function triggerWords(trigger: ParsedTrigger, subject?: CatalogEntityView): string {
  switch (trigger.kind) {
    case 'sun': {
      const minutes = Math.abs(trigger.offsetMinutes);
      return minutes === 0 ? `at ${trigger.event}` : `${minutes} minute${minutes === 1 ? '' : 's'} ${trigger.offsetMinutes < 0 ? 'before' : 'after'} ${trigger.event}`;
    }
    case 'time':
      return `at ${trigger.at.slice(0, 5)}`;
    case 'state':
      return `when ${subject?.name ?? trigger.subject} ${trigger.to === 'open' ? 'opens' : trigger.to === 'closed' ? 'closes' : `turns ${trigger.to}`}`;
    case 'numeric':
      return `when ${subject?.name ?? trigger.subject} ${trigger.below !== undefined ? `drops below ${trigger.below}` : `rises above ${trigger.above}`}`;
  }
}

function serviceFor(action: DeviceAction, entity: CatalogEntityView): { domain: string; service: string; data?: Record<string, unknown> } {
  if (action.kind === 'temperature') return { domain: 'climate', service: 'set_temperature', data: { temperature: action.temperature } };
  if (action.kind === 'automation') return { domain: 'automation', service: action.service };
  const domain = entity.domain;
  if (domain === 'cover') return { domain, service: action.service === 'turn_on' ? 'open_cover' : action.service === 'turn_off' ? 'close_cover' : 'toggle' };
  if (domain === 'lock') return { domain, service: action.service === 'turn_off' ? 'unlock' : 'lock' };
  return { domain, service: action.service };
}

function actionTarget(action: DeviceAction): string {
  return action.target.replace(/^(?:the|my)\s+/, '');
}

function actionVerb(action: DeviceAction): string {
  if (action.kind === 'temperature') return `Set to ${action.temperature}°`;
  if (action.kind === 'automation') return action.service === 'turn_on' ? 'Enable' : action.service === 'turn_off' ? 'Disable' : 'Run';
  return action.service === 'turn_on' ? 'Turn on' : action.service === 'turn_off' ? 'Turn off' : 'Toggle';
}

function actionWords(action: DeviceAction): string {
  if (action.kind === 'temperature') return `to ${action.temperature}°`;
  if (action.kind === 'automation') return action.service === 'turn_on' ? 'enabled' : action.service === 'turn_off' ? 'disabled' : 'run';
  return action.service === 'turn_on' ? 'on' : action.service === 'turn_off' ? 'off' : 'toggled';
}

function chooseTarget(entities: readonly CatalogEntityView[], action: DeviceAction): CatalogEntityView | undefined {
  if (action.kind === 'temperature') return entities.find((e) => e.domain === 'climate');
  if (action.kind === 'automation') return entities.find((e) => e.domain === 'automation');
  const named = SWITCHABLE.find((domain) => new RegExp(`\\b${domain.replace('_', ' ')}s?\\b`).test(action.target));
  return (named && entities.find((e) => e.domain === named)) || SWITCHABLE.map((domain) => entities.find((e) => e.domain === domain)).find(Boolean);
}

function chooseSubject(entities: readonly CatalogEntityView[], trigger: Extract<ParsedTrigger, { kind: 'state' | 'numeric' }>): CatalogEntityView | undefined {
  const preferred = trigger.kind === 'numeric' ? ['sensor'] : trigger.to === 'open' || trigger.to === 'closed' ? ['binary_sensor', 'cover'] : ['binary_sensor', ...SWITCHABLE];
  return preferred.map((domain) => entities.find((e) => e.domain === domain)).find(Boolean) ?? (trigger.kind === 'numeric' ? undefined : entities[0]);
}

function entitiesOf(message: ToolMessage): readonly CatalogEntityView[] {
  const artifact = message.artifact as CatalogQueryResult | undefined;
  return artifact && 'entities' in artifact ? (artifact.entities as CatalogEntityView[]) : [];
}

function isProposal(value: unknown): value is Proposal {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { status?: unknown }).status === 'string';
}

function search(query: string, domain?: string): OfflineDecision {
  return call(SEARCH_ENTITIES, { query, limit: SEARCH_LIMIT, ...(domain ? { domain } : {}) });
}

function call(name: string, args: Record<string, unknown>): OfflineDecision {
  return { kind: 'tool_calls', calls: [{ name, args }] };
}

function text(value: string): OfflineDecision {
  return { kind: 'text', text: value };
}
