import type { CatalogEntityView, CatalogSummary } from '@aether/core';
import type { CatalogAreaView, CatalogDeviceView, CatalogDiscoverySession, CatalogFloorView } from '@aether/persistence';

/** Answers are built in code from the catalog (never generated): Markdown, one line per fact. */

export function discoveryAnswer(session: CatalogDiscoverySession, summary: CatalogSummary, areas: CatalogAreaView[], floors: CatalogFloorView[]): string[] {
  const c = session.entities;
  const lines = [
    `**Discovery ${session.status === 'completed' ? 'complete' : session.status}**${session.domain_filter ? ` (domain \`${session.domain_filter}\`)` : ''}: ${plural(session.entities_found, 'entity')}, ${plural(session.devices_found, 'device')}, ${plural(session.areas_found, 'area')}, ${plural(session.automations_found, 'automation')}, ${plural(session.scripts_found, 'script')}, ${plural(session.scenes_found, 'scene')}.`,
    `Changes since the last run: ${c.added} added, ${c.updated} updated, ${c.removed} removed.`,
    '',
    '**Entities by domain**',
    ...Object.entries(session.domain_counts)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([domain, n]) => `- ${domain}: ${n}`),
    '',
    ...areasByFloor(areas, floors),
    '',
    `The catalog now holds ${plural(summary.entity_count, 'entity')}, ${plural(summary.device_count, 'device')}, ${plural(summary.automation_count, 'automation')}, ${plural(summary.script_count, 'script')} and ${plural(summary.scene_count, 'scene')}.`,
  ];
  if (session.error) lines.push('', `Note: ${session.error}`);
  return lines;
}

export function areasByFloor(areas: CatalogAreaView[], floors: CatalogFloorView[]): string[] {
  if (areas.length === 0) return ['No areas are defined in Home Assistant.'];
  const lines = ['**Areas by floor**'];
  const groups = [...floors.map((f) => ({ name: f.name, id: f.floor_id as string | null })), { name: 'No floor', id: null }];
  for (const group of groups) {
    const inGroup = areas.filter((a) => (group.id === null ? !floors.some((f) => f.floor_id === a.floor_id) : a.floor_id === group.id));
    if (inGroup.length === 0) continue;
    lines.push(`- ${group.name}: ${inGroup.map((a) => `${a.name} (${plural(a.device_count, 'device')}, ${plural(a.entity_count, 'entity')})`).join(', ')}`);
  }
  return lines;
}

export function areaDevicesAnswer(area: CatalogAreaView, devices: CatalogDeviceView[], otherEntities: CatalogEntityView[]): string[] {
  const lines = [`**${area.name}**${area.floor ? ` (${area.floor})` : ''}: ${plural(devices.length, 'device')}, ${plural(area.entity_count, 'entity')}.`];
  if (devices.length === 0) lines.push('', `No devices are assigned to ${area.name}.`);
  for (const device of devices) {
    const maker = [device.manufacturer, device.model].filter(Boolean).join(' ');
    lines.push('', `- **${device.name}**${maker ? ` — ${maker}` : ''}`);
    for (const entity of device.entities) lines.push(`  - ${entityLine(entity)}`);
  }
  if (otherEntities.length > 0) {
    lines.push('', 'Entities in this area without a device here:');
    for (const entity of otherEntities) lines.push(`- ${entityLine(entity)}`);
  }
  return lines;
}

export function entityListAnswer(title: string, entities: CatalogEntityView[], total: number): string[] {
  if (total === 0) return [`No ${title} found in the catalog.`];
  const lines = [`**${title}** (${total}):`, ...entities.map((e) => `- ${entityLine(e)}${e.area ? ` — ${e.area}` : ''}`)];
  if (total > entities.length) lines.push(`…and ${total - entities.length} more.`);
  return lines;
}

export function entityLine(entity: CatalogEntityView): string {
  return `${entity.name} (\`${entity.entity_id}\`): ${entity.state}${entity.unit ? ` ${entity.unit}` : ''}`;
}

export function helpAnswer(summary: CatalogSummary): string[] {
  return [
    `I keep the catalog of your home (${plural(summary.entity_count, 'entity')}, ${plural(summary.device_count, 'device')}, ${plural(summary.areas.length, 'area')}). I can answer:`,
    '- "Discover my home" or "refresh" — read everything from Home Assistant again and report the changes',
    '- "What devices do I have in the kitchen?" — the devices of an area, with make, model and entities',
    '- "How many lights are there?" / "How many sensors in the living room?"',
    '- "List my sensors", "list my areas", "list my devices", "list my automations"',
  ];
}

/** "1 device", "3 entities". */
export function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}
