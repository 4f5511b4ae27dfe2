import { truncate, type CatalogAutomationView, type CatalogEntityView, type CatalogQuery } from '@aether/core';
import type { CatalogResultOf } from './librarian-catalog.client';

/** Most entities / automations listed in one tool result; the rest are counted ("… and N more"). */
export const MAX_LISTED_ITEMS = 50;
/** Most attributes shown for one entity, and the longest value of each. */
const MAX_ATTRIBUTES = 15;
const MAX_ATTRIBUTE_CHARS = 80;
/** Longest automation config shown to the model. */
const MAX_CONFIG_CHARS = 6000;
const MAX_AREAS_LISTED = 20;

type EntityListResult = CatalogResultOf<'search_entities'>;
type EntityListQuery = Extract<CatalogQuery, { op: 'search_entities' | 'list_entities_by_domain' }>;

/** One entity as one line: `light.kitchen — Kitchen Light: on (Kitchen)`. */
export function renderEntityLine(entity: CatalogEntityView): string {
  return `${entity.entity_id} — ${entity.name}: ${stateWithUnit(entity)}${entity.area ? ` (${entity.area})` : ''}`;
}

/** The state with its unit ("2400 W"), as HA shows it. */
export function stateWithUnit(entity: CatalogEntityView): string {
  return entity.unit ? `${entity.state} ${entity.unit}` : entity.state;
}

export function renderEntityList(result: EntityListResult, query: EntityListQuery): string {
  const subject =
    query.op === 'search_entities'
      ? `${result.total} ${plural(result.total, 'entity', 'entities')} matching "${query.query}"${query.domain ? ` in domain ${query.domain}` : ''}`
      : `${result.total} ${query.domain} ${plural(result.total, 'entity', 'entities')}${query.stateFilter ? ` with state "${query.stateFilter}"` : ''}`;
  const where = query.area ? ` in area ${query.area}` : '';
  const freshness = result.live ? 'states read live from Home Assistant' : 'states from the catalog snapshot; use get_entity_state for a current state';
  const header = `${subject}${where} (${freshness}):`;
  if (result.entities.length === 0) return `${header}\nnone`;
  return [header, ...capped(result.entities.map(renderEntityLine), Math.max(result.total, result.entities.length))].join('\n');
}

export function renderEntityState(result: CatalogResultOf<'get_entity_state'>, entityId: string): string {
  const entity = result.entity;
  if (!entity) return `No entity ${entityId} in the catalog. Use search_entities to find the right entity id.`;
  const lines = [`${renderEntityLine(entity)} (live from Home Assistant)`];
  if (entity.device) lines.push(`device: ${entity.device}`);
  if (entity.last_changed) lines.push(`last changed: ${entity.last_changed}`);
  const attributes = Object.entries(entity.attributes ?? {}).filter(([key]) => key !== 'friendly_name');
  if (attributes.length > 0) {
    const shown = attributes.slice(0, MAX_ATTRIBUTES).map(([key, value]) => `${key}=${truncate(typeof value === 'string' ? value : JSON.stringify(value), MAX_ATTRIBUTE_CHARS)}`);
    const more = attributes.length - shown.length;
    lines.push(`attributes: ${shown.join(', ')}${more > 0 ? `, … and ${more} more` : ''}`);
  }
  return lines.join('\n');
}

export function renderDomainSummary(result: CatalogResultOf<'get_domain_summary'>): string {
  if (result.count === 0) return `No ${result.domain} entities in the catalog.`;
  const states = Object.entries(result.states).sort((a, b) => b[1] - a[1]).map(([state, n]) => `${state} ${n}`);
  const areas = Object.entries(result.areas).sort((a, b) => b[1] - a[1]).map(([area, n]) => `${area} ${n}`);
  const shownAreas = areas.slice(0, MAX_AREAS_LISTED);
  const moreAreas = areas.length - shownAreas.length;
  return [
    `${result.domain}: ${result.count} ${plural(result.count, 'entity', 'entities')} (states from the catalog snapshot).`,
    `States: ${states.join(', ') || 'none'}.`,
    `Areas: ${shownAreas.join(', ') || 'none'}${moreAreas > 0 ? `, … and ${moreAreas} more` : ''}.`,
  ].join('\n');
}

/** One automation as one line: `automation.x — Alias: on (mode single; triggers: time; last triggered …)`. */
export function renderAutomationLine(automation: CatalogAutomationView): string {
  const details = [
    automation.mode ? `mode ${automation.mode}` : undefined,
    automation.blueprint ? `from blueprint ${automation.blueprint.path}` : undefined,
    automation.trigger_types.length > 0 ? `triggers: ${automation.trigger_types.join(', ')}` : undefined,
    `last triggered ${automation.last_triggered ?? 'never'}`,
  ].filter((d): d is string => d !== undefined);
  return `${automation.entity_id} — ${automation.alias}: ${automation.state} (${details.join('; ')})`;
}

export function renderAutomations(result: CatalogResultOf<'list_automations'>): string {
  const count = result.automations.length;
  if (count === 0) return 'No automations in the catalog.';
  return [`${count} ${plural(count, 'automation', 'automations')}:`, ...capped(result.automations.map(renderAutomationLine), count)].join('\n');
}

export function renderAutomationConfig(result: CatalogResultOf<'get_automation_config'>, requested: string): string {
  const automation = result.automation;
  if (!automation) return `No automation "${requested}" in the catalog. Use list_automations to see the automations and their ids.`;
  const config = automation.config
    ? `config:\n${truncate(JSON.stringify(automation.config, null, 2), MAX_CONFIG_CHARS)}`
    : 'config: not available from Home Assistant (for example an automation defined in YAML packages).';
  const blueprint = automation.blueprint
    ? `blueprint-based: its triggers, conditions and actions are defined by the blueprint ${automation.blueprint.path} (not in this config), with the inputs in use_blueprint.input.`
    : undefined;
  return [renderAutomationLine(automation), `config id: ${automation.id ?? 'none'}`, blueprint, config].filter((line): line is string => line !== undefined).join('\n');
}

function capped(lines: string[], total: number): string[] {
  const shown = lines.slice(0, MAX_LISTED_ITEMS);
  const more = total - shown.length;
  return more > 0 ? [...shown, `… and ${more} more`] : shown;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
