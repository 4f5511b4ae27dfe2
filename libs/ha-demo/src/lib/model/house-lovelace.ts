import type { HaLovelaceConfig } from '@aether/home-assistant';
import type { HomeRegistries } from './home-model';
import { AREAS, FLOORS } from './house-layout';

/** Domains worth a tile on the overview (sensors only for temperature/humidity, no diagnostics). */
const TILE_DOMAINS = new Set(['light', 'switch', 'climate', 'cover', 'lock', 'media_player']);

/**
 * The default dashboard as the household set it up: a sections overview with one section per area
 * (grouped by floor), an energy view and a people view. Built from the registries so every card
 * names an entity that exists.
 */
export function buildHouseLovelace(registries: HomeRegistries): HaLovelaceConfig {
  const deviceArea = new Map(registries.devices.map((device) => [device.id, device.area_id]));
  const byArea = new Map<string, string[]>();
  for (const entry of registries.entities) {
    const area = entry.area_id ?? (entry.device_id ? deviceArea.get(entry.device_id) : null);
    if (!area || entry.entity_category) continue;
    const domain = entry.entity_id.slice(0, entry.entity_id.indexOf('.'));
    const climateSensor = domain === 'sensor' && /_(temperature|humidity)$/.test(entry.entity_id);
    const doorSensor = domain === 'binary_sensor' && /door/.test(entry.entity_id);
    if (!TILE_DOMAINS.has(domain) && !climateSensor && !doorSensor) continue;
    byArea.set(area, [...(byArea.get(area) ?? []), entry.entity_id]);
  }

  const sections = FLOORS.flatMap((floor) =>
    AREAS.filter((area) => area.floor === floor.id && byArea.has(area.id)).map((area) => ({
      type: 'grid',
      cards: [{ type: 'heading', heading: area.name, icon: area.icon }, ...(byArea.get(area.id) ?? []).map((entity) => ({ type: 'tile', entity }))],
    })),
  );

  return {
    title: 'Home',
    views: [
      { type: 'sections', title: 'Home', path: 'home', icon: 'mdi:home', max_columns: 4, sections },
      {
        title: 'Energy',
        path: 'energy',
        icon: 'mdi:lightning-bolt',
        cards: [
          { type: 'energy-date-selection' },
          { type: 'energy-usage-graph' },
          { type: 'energy-distribution', link_dashboard: true },
          { type: 'energy-solar-graph' },
          { type: 'energy-devices-graph' },
          {
            type: 'entities',
            title: 'Tariff',
            entities: ['input_text.electricity_plan_name', 'input_number.electricity_rate_day', 'input_number.electricity_rate_night', 'input_number.electricity_rate_peak'],
          },
        ],
      },
      {
        title: 'People',
        path: 'people',
        icon: 'mdi:account-group',
        cards: [
          { type: 'map', entities: [{ entity: 'person.alex' }, { entity: 'person.sam' }], hours_to_show: 24 },
          { type: 'history-graph', title: 'Who is home', hours_to_show: 48, entities: [{ entity: 'person.alex' }, { entity: 'person.sam' }] },
        ],
      },
    ],
  };
}
