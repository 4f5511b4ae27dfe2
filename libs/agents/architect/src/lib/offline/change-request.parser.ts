/**
 * The offline model's reading of a change request — what the Architect turns into a proposal
 * without an LLM: "create an automation that turns on the porch light at sunset" (a trigger and an
 * action), "turn off the kitchen light" (a one-off command) and, on a pending proposal, "make it 30
 * minutes after sunset" (a new trigger), and switching an existing automation off, on or running it
 * ("disable the porch light automation"). Entities are named by the user's words here; the policy
 * resolves them through the catalog to real entity ids.
 */

import type { HelperDomain } from '@aether/core';

export type ParsedTrigger =
  | { kind: 'sun'; event: 'sunset' | 'sunrise'; offsetMinutes: number }
  | { kind: 'time'; at: string }
  | { kind: 'state'; subject: string; to: 'on' | 'off' | 'open' | 'closed' }
  | { kind: 'numeric'; subject: string; below?: number; above?: number };

export type ParsedAction =
  | { kind: 'switch'; service: 'turn_on' | 'turn_off' | 'toggle'; target: string }
  | { kind: 'temperature'; target: string; temperature: number }
  /** An existing automation switched off ("disable"), on ("enable") or run now ("trigger") — `automation.turn_off` / `turn_on` / `trigger`. */
  | { kind: 'automation'; service: 'turn_on' | 'turn_off' | 'trigger'; target: string }
  /** A notification: HA's `notify.persistent_notification`, which every install has. */
  | { kind: 'notify'; message?: string };

/** A helper to make: its HA domain and config, named in the user's own words (and casing). */
export interface ParsedHelper {
  domain: HelperDomain;
  config: Record<string, unknown> & { name: string };
}

export type ChangeRequest =
  | { kind: 'automation'; trigger: ParsedTrigger; action: ParsedAction }
  | { kind: 'command'; action: ParsedAction }
  | { kind: 'revise'; trigger: ParsedTrigger }
  | { kind: 'helper'; helper: ParsedHelper }
  /** "Automate it" / "automate the porch light": one of the data science team's automation suggestions, by its words. */
  | { kind: 'automate_suggestion'; named?: string };

const END = String.raw`(?=$|[.,!?;]|\s+(?:at|when|whenever|every|each|if|and|then|after|before|now|in\s+the)\b)`;
const ARTICLE = String.raw`(?:the\s+|my\s+|all\s+(?:the\s+)?)?`;

export function parseChangeRequest(message: string): ChangeRequest | undefined {
  const helper = parseHelperRequest(message);
  if (helper) return { kind: 'helper', helper };
  const text = message.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
  const automate = /^(?:(?:yes|ok|okay|sure)[,!]?\s+)?(?:please\s+)?automate\s+(?:(it|that|this|them)|(?:the\s+|my\s+)?([a-z0-9' -]+?))(?:\s+(?:for\s+me|please))?[.!]?$/.exec(text);
  // Only a short naming of a suggestion: a request with a trigger ("automate the porch light at sunset") is a new automation.
  if (automate && !(automate[2] && (automate[2].split(' ').length > 5 || triggerClause(automate[2])))) {
    return { kind: 'automate_suggestion', ...(automate[2] ? { named: automate[2].replace(/\s+(?:habit|routine)$/, '') } : {}) };
  }
  // A question about the home ("which lights do I switch on by hand?") asks for no change.
  if (/^(?:which|what|how|why|who|where|do|does|did|is|are|was|were|have|has)\b/.test(text)) return undefined;
  // A sentence that only switches an automation ("disable the porch light at sunset automation"):
  // its name may hold trigger words, which are not a trigger here.
  const automationCommand = /^(?:please\s+)?(?:disable|enable|turn\s+off|turn\s+on|switch\s+off|switch\s+on|trigger|run)\s+.+\s+automation(?:\s+now)?[.!]?$/.test(text) ? parseAction(text) : undefined;
  if (automationCommand?.kind === 'automation') return { kind: 'command', action: automationCommand };
  const trigger = parseTrigger(text);
  if (trigger && /^(?:please\s+)?(?:(?:make|change|move|set|do)\s+it|(?:let's\s+)?(?:do\s+it|have\s+it\s+run))\b|\binstead\b/.test(text)) {
    return { kind: 'revise', trigger };
  }
  // The action is read from what remains once the trigger clause is taken out ("when the door opens" names no action).
  const action = parseAction(trigger ? text.replace(triggerClause(text) ?? '', ' ').replace(/\s+/g, ' ').replace(/\s+([.,!?;])/g, '$1').trim() : text);
  if (!action) return undefined;
  if (trigger) return { kind: 'automation', trigger, action };
  if (action.kind === 'automation') return { kind: 'command', action };
  if (/\bautomations?\b/.test(text) || action.kind === 'notify') return undefined;
  return { kind: 'command', action };
}

/** The words for each helper type, most specific first ("date and time" before "date"). */
const HELPER_WORDS: ReadonlyArray<[RegExp, HelperDomain, Record<string, unknown>?]> = [
  [/date\s*(?:and|&|\/)\s*time|datetime/, 'input_datetime', { has_date: true, has_time: true }],
  [/date/, 'input_datetime', { has_date: true, has_time: false }],
  [/time/, 'input_datetime', { has_date: false, has_time: true }],
  [/toggle|switch|boolean|on\/off/, 'input_boolean'],
  [/number|slider|counter\s+value/, 'input_number'],
  [/dropdown|drop-down|select|list|choice/, 'input_select'],
  [/text(?:\s*(?:box|field))?/, 'input_text'],
  [/button/, 'input_button'],
];

/**
 * "Create a toggle called Guest mode", "Add a number helper for the target humidity from 30 to
 * 70 %", "Create a dropdown called House mode with options Home, Away, Night", "Create a time
 * helper called Alarm time": the helper's type, its name as the user wrote it, and its range,
 * unit or options.
 */
export function parseHelperRequest(message: string): ParsedHelper | undefined {
  const text = message.replace(/[’]/g, "'").replace(/\s+/g, ' ').trim().replace(/[.!]+$/, '');
  const match =
    /^(?:please\s+)?(?:create|add|make|set\s+up)\s+(?:me\s+)?(?:a|an|one|new|a\s+new)?\s*(.+?)\s+(?:helper\s+)?(?:called|named|for(?:\s+the|\s+my)?)\s+(.+)$/i.exec(text);
  if (!match) return undefined;
  const kind = match[1].toLowerCase().replace(/\s+helper$/, '');
  const found = HELPER_WORDS.find(([pattern]) => new RegExp(`^(?:${pattern.source})$`).test(kind));
  if (!found) return undefined;
  const [, domain, fixed] = found;
  let rest = match[2];
  const config: Record<string, unknown> = { ...fixed };
  const range = /\s+(?:from|between)\s+(-?\d+(?:\.\d+)?)\s+(?:to|and)\s+(-?\d+(?:\.\d+)?)\s*(%|°\s*[cf]|[a-z][a-z/]*)?$/i.exec(rest);
  if (range && domain === 'input_number') {
    Object.assign(config, { min: Number(range[1]), max: Number(range[2]), ...(range[3] ? { unit_of_measurement: range[3].replace(/\s+/g, '') } : {}) });
    rest = rest.slice(0, range.index);
  }
  const options = /\s+with\s+(?:the\s+)?options?:?\s+(.+)$/i.exec(rest);
  if (options && domain === 'input_select') {
    config['options'] = options[1].split(/\s*(?:,|\bor\b|\band\b)\s*/i).map((option) => option.trim()).filter(Boolean);
    rest = rest.slice(0, options.index);
  }
  const name = rest.replace(/^["']|["']$/g, '').trim();
  if (!name) return undefined;
  // A number needs its range, a dropdown its options: without them the request is not complete.
  if (domain === 'input_number' && config['min'] === undefined) return undefined;
  if (domain === 'input_select' && !Array.isArray(config['options'])) return undefined;
  return { domain, config: { name: name.charAt(0).toUpperCase() + name.slice(1), ...config } };
}

function triggerClause(text: string): string | undefined {
  return (
    /\b(?:at\s+)?(?:\d+\s*(?:minutes?|mins?|hours?|hrs?|h)\s+(?:before|after)\s+)?(?:sunset|sunrise|dusk|dawn)\b/.exec(text)?.[0] ??
    /\bat\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\b/.exec(text)?.[0] ??
    /\b(?:when|whenever|if)\s+.+?\s+(?:turns?\s+on|turns?\s+off|opens|closes|is\s+opened|is\s+closed|goes\s+(?:on|off)|(?:drops|falls|goes|gets)\s+below\s+-?\d+(?:\.\d+)?|(?:rises|goes|gets)\s+above\s+-?\d+(?:\.\d+)?)\S*/.exec(text)?.[0]
  );
}

export function parseTrigger(text: string): ParsedTrigger | undefined {
  const sun = /\b(?:(\d+)\s*(minutes?|mins?|hours?|hrs?|h)\s+(before|after)\s+)?(sunset|sunrise|dusk|dawn)\b/.exec(text);
  if (sun) {
    const amount = sun[1] ? Number(sun[1]) * (/^h/.test(sun[2]) ? 60 : 1) : 0;
    const event = sun[4] === 'sunrise' || sun[4] === 'dawn' ? 'sunrise' : 'sunset';
    return { kind: 'sun', event, offsetMinutes: sun[3] === 'before' ? -amount : amount };
  }
  const time = /\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(text);
  if (time && (time[2] !== undefined || time[3] !== undefined)) {
    let hour = Number(time[1]);
    if (time[3] === 'pm' && hour < 12) hour += 12;
    if (time[3] === 'am' && hour === 12) hour = 0;
    const minute = Number(time[2] ?? 0);
    if (hour < 24 && minute < 60) return { kind: 'time', at: `${pad(hour)}:${pad(minute)}:00` };
  }
  const threshold = /\b(?:when|whenever|if)\s+(?:the\s+|my\s+)?(.+?)\s+(?:(?:drops|falls|goes|gets)\s+below\s+(-?\d+(?:\.\d+)?)|(?:rises|goes|gets)\s+above\s+(-?\d+(?:\.\d+)?))/.exec(text);
  if (threshold) {
    return { kind: 'numeric', subject: threshold[1], ...(threshold[2] !== undefined ? { below: Number(threshold[2]) } : { above: Number(threshold[3]) }) };
  }
  const state = /\b(?:when|whenever|if)\s+(?:the\s+|my\s+)?(.+?)\s+(turns?\s+on|goes\s+on|turns?\s+off|goes\s+off|opens|is\s+opened|closes|is\s+closed)\b/.exec(text);
  if (state) {
    const verb = state[2];
    const to = /on$/.test(verb) ? 'on' : /off$/.test(verb) ? 'off' : /open/.test(verb) ? 'open' : 'closed';
    return { kind: 'state', subject: state[1], to };
  }
  return undefined;
}

export function parseAction(text: string): ParsedAction | undefined {
  const automation = new RegExp(String.raw`\b(disable|enable|turn\s+off|turn\s+on|switch\s+off|switch\s+on|trigger|run)\s+${ARTICLE}(.+?)\s+automation${END}`).exec(text);
  if (automation) {
    const verb = automation[1].replace(/\s+/g, ' ');
    const service = verb === 'disable' || verb.endsWith('off') ? 'turn_off' : verb === 'enable' || verb.endsWith('on') ? 'turn_on' : 'trigger';
    return { kind: 'automation', service, target: automation[2] };
  }
  const notify = /\b(?:notify\s+me|send\s+me\s+a\s+(?:notification|message)|alert\s+me)\b(?:\s+(?:saying|with|that)\s+["“]?([^"”]+?)["”]?(?=$|[.!?]))?/.exec(text);
  if (notify) return { kind: 'notify', ...(notify[1] ? { message: notify[1].trim() } : {}) };
  const temperature = new RegExp(String.raw`\bsets?\s+${ARTICLE}(.+?)\s+(?:temperature\s+|thermostat\s+|heating\s+)?to\s+(\d+(?:\.\d+)?)\s*(?:°\s*c?|degrees?)?`).exec(text);
  if (temperature) return { kind: 'temperature', target: temperature[1].replace(/\s+(?:temperature|thermostat|heating)$/, ''), temperature: Number(temperature[2]) };
  const onOffFirst = new RegExp(String.raw`\b(?:turns?|switch(?:es)?)\s+(on|off)\s+${ARTICLE}(.+?)${END}`).exec(text);
  if (onOffFirst) return { kind: 'switch', service: onOffFirst[1] === 'on' ? 'turn_on' : 'turn_off', target: onOffFirst[2] };
  const onOffLast = new RegExp(String.raw`\b(?:turns?|switch(?:es)?)\s+${ARTICLE}(.+?)\s+(on|off)${END}`).exec(text);
  if (onOffLast) return { kind: 'switch', service: onOffLast[2] === 'on' ? 'turn_on' : 'turn_off', target: onOffLast[1] };
  const toggle = new RegExp(String.raw`\btoggles?\s+${ARTICLE}(.+?)${END}`).exec(text);
  if (toggle) return { kind: 'switch', service: 'toggle', target: toggle[1] };
  return undefined;
}

/** HA's offset syntax: "-00:30:00" for 30 minutes before. */
export function sunOffset(minutes: number): string | undefined {
  if (minutes === 0) return undefined;
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : ''}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}:00`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
