import type { CatalogAutomationView, CatalogBlueprintUse, CatalogEntityView } from '@aether/core';
import type { CatalogResultOf } from '../catalog/librarian-catalog.client';
import { stateWithUnit } from '../catalog/catalog-text.renderer';

/** Most items an offline answer lists before it counts the rest. */
const MAX_ANSWER_ITEMS = 25;

const DOMAIN_LABELS: Record<string, [string, string]> = {
  light: ['light', 'lights'],
  switch: ['switch', 'switches'],
  lock: ['lock', 'locks'],
  cover: ['cover', 'covers'],
  fan: ['fan', 'fans'],
  media_player: ['media player', 'media players'],
  climate: ['thermostat', 'thermostats'],
  sensor: ['sensor', 'sensors'],
  binary_sensor: ['binary sensor', 'binary sensors'],
  person: ['person', 'people'],
  script: ['script', 'scripts'],
  scene: ['scene', 'scenes'],
  automation: ['automation', 'automations'],
};

export function domainLabel(domain: string, count: number): string {
  const [one, many] = DOMAIN_LABELS[domain] ?? [`${domain} entity`, `${domain} entities`];
  return count === 1 ? one : many;
}

function nounLabel(noun: string, count: number): string {
  const one = noun.endsWith('s') ? noun.slice(0, -1) : noun;
  return count === 1 ? one : `${one}s`;
}

/** "Kitchen Light (`light.kitchen`, Kitchen)". */
function entityLabel(entity: CatalogEntityView): string {
  return `${entity.name} (\`${entity.entity_id}\`${entity.area ? `, ${entity.area}` : ''})`;
}


function listed<T>(items: readonly T[], total: number, line: (item: T) => string): string[] {
  const shown = items.slice(0, MAX_ANSWER_ITEMS).map((item) => `- ${line(item)}`);
  const more = total - shown.length;
  return more > 0 ? [...shown, `- … and ${more} more`] : shown;
}

/** "what lights are on?" answered from the live list. */
export function entitiesInStateAnswer(
  result: CatalogResultOf<'list_entities_by_domain'>,
  ask: { domain: string; noun: string; stateWord: string; area?: string },
): string {
  const where = ask.area ? ` in ${ask.area}` : '';
  const source = result.live ? 'States read live from Home Assistant.' : 'States from the catalog snapshot.';
  // Contacts are named after what the user asked about ("windows"), not "binary sensors".
  const label = (count: number) => (ask.domain === 'binary_sensor' ? nounLabel(ask.noun, count) : domainLabel(ask.domain, count));
  if (result.total === 0) return `No ${label(2)} are ${ask.stateWord}${where} right now. ${source}`;
  const verb = result.total === 1 ? 'is' : 'are';
  return [
    `**${result.total} ${label(result.total)} ${verb} ${ask.stateWord}${where}** right now:`,
    '',
    ...listed(result.entities, result.total, entityLabel),
    '',
    source,
  ].join('\n');
}

/** "is the front door locked?" answered from the entity's live state. */
export function entityStateAnswer(result: CatalogResultOf<'get_entity_state'>, others: readonly CatalogEntityView[]): string {
  const entity = result.entity;
  if (!entity) return 'Home Assistant no longer knows that entity; the catalog may be out of date.';
  const lines = [`**${entity.name}** (\`${entity.entity_id}\`${entity.area ? `, ${entity.area}` : ''}) is **${stateWithUnit(entity)}** right now.`];
  if (entity.last_changed) lines.push(`Last changed: ${entity.last_changed}.`);
  if (others.length > 0) lines.push('', `Other matching entities: ${others.slice(0, 5).map((e) => `${e.name} (\`${e.entity_id}\`)`).join(', ')}.`);
  return lines.join('\n');
}

export function noEntityFoundAnswer(search: string): string {
  return `I could not find an entity matching "${search}" in your home's catalog, so I cannot tell its state. Try the device's name as Home Assistant shows it.`;
}

export function domainSummaryAnswer(result: CatalogResultOf<'get_domain_summary'>): string {
  if (result.count === 0) return `Your home has no ${domainLabel(result.domain, 2)} in the catalog.`;
  const states = Object.entries(result.states).sort((a, b) => b[1] - a[1]).map(([state, n]) => `${n} ${state}`);
  const areas = Object.entries(result.areas).sort((a, b) => b[1] - a[1]).slice(0, MAX_ANSWER_ITEMS).map(([area, n]) => `${area} ${n}`);
  return [
    `You have **${result.count} ${domainLabel(result.domain, result.count)}**: ${states.join(', ')}.`,
    areas.length > 0 ? `By area: ${areas.join(', ')}.` : '',
    'States are from the catalog snapshot.',
  ].filter(Boolean).join('\n');
}

function automationLine(automation: CatalogAutomationView): string {
  return `**${automation.alias}** (\`${automation.entity_id}\`) — ${automation.state}, last triggered ${automation.last_triggered ?? 'never'}`;
}

export function automationsAnswer(result: CatalogResultOf<'list_automations'>): string {
  const count = result.automations.length;
  if (count === 0) return 'Your home has no automations in the catalog.';
  return [`You have **${count} ${count === 1 ? 'automation' : 'automations'}**:`, '', ...listed(result.automations, count, automationLine)].join('\n');
}

/** What a blueprint-based automation is: the blueprint it is made from and the inputs it was given. */
function blueprintExplanation(blueprint: CatalogBlueprintUse): string {
  const inputs = Object.entries(blueprint.input).map(([name, value]) => `- ${name}: ${typeof value === 'string' ? `\`${value}\`` : `\`${JSON.stringify(value)}\``}`);
  return [
    `It is made from the blueprint \`${blueprint.path}\`: its triggers, conditions and actions are defined there (in Home Assistant's \`blueprints/automation/\` folder), not in the automation itself.`,
    ...(inputs.length > 0 ? ['', 'Inputs given to the blueprint:', ...inputs] : ['', 'It gives the blueprint no inputs.']),
  ].join('\n');
}

export function automationConfigAnswer(result: CatalogResultOf<'get_automation_config'>, requested: string): string {
  const automation = result.automation;
  if (!automation) return `I could not find the automation "${requested}" in your home's catalog.`;
  const head = `${automationLine(automation)}${automation.mode ? `, mode ${automation.mode}` : ''}.`;
  if (!automation.config) return `${head}\n\nHome Assistant does not expose its configuration (it may be defined in YAML).`;
  if (automation.blueprint) return [head, '', blueprintExplanation(automation.blueprint)].join('\n');
  return `${head}\n\n\`\`\`json\n${JSON.stringify(automation.config, null, 2)}\n\`\`\``;
}

export function unknownAutomationAnswer(requested: string, known: readonly CatalogAutomationView[]): string {
  const names = known.slice(0, 10).map((a) => `"${a.alias}"`).join(', ');
  return `I could not find an automation called "${requested}".${names ? ` Your automations: ${names}${known.length > 10 ? ', …' : ''}.` : ' Your home has no automations in the catalog.'}`;
}

export function catalogErrorAnswer(error: string): string {
  return `I could not read that from your home's catalog: ${error.replace(/^Error:\s*/, '')}`;
}
