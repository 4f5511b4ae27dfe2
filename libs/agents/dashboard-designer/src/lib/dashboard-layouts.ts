import type { CatalogEntityView, DashboardPayload } from '@aether/core';
import type { HaEnergyPrefs, HaLovelaceCardType } from '@aether/home-assistant';
import type { DashboardSubject } from './dashboard-request';

/** A Lovelace card: only types HA's frontend ships (the one list, in @aether/home-assistant). */
export type LovelaceCard = { type: HaLovelaceCardType } & Record<string, unknown>;
export interface LovelaceSection {
  type: 'grid';
  cards: LovelaceCard[];
}

/** The domains the Designer reads from the catalog, and shows. */
export const DASHBOARD_DOMAINS = [
  'light', 'switch', 'fan', 'climate', 'cover', 'lock', 'alarm_control_panel', 'media_player', 'camera', 'vacuum', 'humidifier', 'sensor', 'binary_sensor', 'weather',
] as const;

/** Sensors that describe the device rather than the room (batteries, radio signal) stay off the dashboards. */
const DIAGNOSTIC = /battery|signal|rssi|link_?quality|uptime|firmware|last_seen/;
const TEMPERATURE_UNITS = new Set(['°C', '°F', 'K']);
const POWER_UNITS = new Set(['W', 'kW']);
const ENERGY_UNITS = new Set(['Wh', 'kWh', 'MWh']);
/** Binary sensors that say whether the house is shut: doors, windows, gates, motion, smoke, leaks. */
const SECURITY_SENSOR = /door|window|gate|garage|motion|occupancy|presence|smoke|leak|tamper/;
const MAX_TILES_PER_SECTION = 12;

export interface DashboardInputs {
  /** The catalog's entities of `DASHBOARD_DOMAINS` (for an area: of that area). */
  entities: readonly CatalogEntityView[];
  /** Home Assistant's energy configuration (WS `energy/get_prefs`); null when none is set up. */
  energyPrefs: HaEnergyPrefs | null;
}

/**
 * Builds the dashboard a subject asks for, deterministically, from what the home has: one
 * `sections` view, a grid section per group of things, each opened by a heading. Every entity
 * comes from the catalog; every card is a shipped type. Undefined when the home has nothing to
 * show for it (no entity of that area or topic).
 */
export function designDashboard(subject: DashboardSubject, inputs: DashboardInputs): DashboardPayload | undefined {
  const built = subject.topic === 'area' ? areaSections(subject.area, inputs.entities) : TOPICS[subject.topic](inputs);
  const sections = built.sections.filter((section) => section.cards.length > 1);
  if (sections.length === 0) return undefined;
  const title = subject.topic === 'area' ? subject.area : TOPIC_TITLE[subject.topic];
  const urlPath = `aether-${slug(title)}`;
  const view = { type: 'sections', title, path: slug(title), icon: built.icon, max_columns: 4, sections };
  return { urlPath, title, config: { title, views: [view] } };
}

const TOPIC_TITLE = { energy: 'Energy', security: 'Security', climate: 'Climate' } as const;

const TOPICS: Record<'energy' | 'security' | 'climate', (inputs: DashboardInputs) => { icon: string; sections: LovelaceSection[] }> = {
  energy: energySections,
  security: ({ entities }) => ({
    icon: 'mdi:shield-home',
    sections: [
      section('Alarm', 'mdi:shield-lock', of(entities, 'alarm_control_panel').map((e) => card('alarm-panel', { entity: e.entity_id }))),
      section('Locks', 'mdi:lock', tiles(of(entities, 'lock'))),
      section('Doors and garage', 'mdi:garage', tiles(of(entities, 'cover').filter((e) => /garage|gate|door/.test(e.entity_id)))),
      section('Sensors', 'mdi:door-open', tiles(of(entities, 'binary_sensor').filter((e) => SECURITY_SENSOR.test(e.entity_id)))),
      section('Cameras', 'mdi:cctv', of(entities, 'camera').map((e) => card('picture-entity', { entity: e.entity_id }))),
    ],
  }),
  climate: ({ entities }) => {
    const temperatures = of(entities, 'sensor').filter((e) => e.unit !== null && TEMPERATURE_UNITS.has(e.unit) && !DIAGNOSTIC.test(e.entity_id));
    const humidities = of(entities, 'sensor').filter((e) => e.unit === '%' && /humidity/.test(e.entity_id));
    return {
      icon: 'mdi:thermostat',
      sections: [
        section('Heating', 'mdi:thermostat', [...of(entities, 'climate').map((e) => card('thermostat', { entity: e.entity_id })), ...tiles(of(entities, 'humidifier'))]),
        section('Temperatures', 'mdi:thermometer', [...tiles(temperatures), ...history('Last 24 hours', temperatures)]),
        section('Humidity', 'mdi:water-percent', [...tiles(humidities), ...history('Last 24 hours', humidities)]),
        section('Weather', 'mdi:weather-partly-cloudy', of(entities, 'weather').slice(0, 1).map((e) => card('weather-forecast', { entity: e.entity_id, forecast_type: 'daily' }))),
      ],
    };
  },
};

/** HA's energy cards where the home's energy prefs give them something to show, then its live power and energy sensors. */
function energySections({ entities, energyPrefs }: DashboardInputs): { icon: string; sections: LovelaceSection[] } {
  const known = new Set(entities.map((e) => e.entity_id));
  const sources = energyPrefs?.energy_sources ?? [];
  const has = (type: string) => sources.some((source) => source.type === type);
  // Legacy grid sources list their export meters in flow_to; unified ones (the newest HA) name one in stat_energy_to.
  const returnsToGrid = sources.some((source) => source.type === 'grid' && ((source.flow_to?.length ?? 0) > 0 || Boolean(source.stat_energy_to)));
  const energyCards: LovelaceCard[] = [];
  if (energyPrefs && sources.length > 0) {
    energyCards.push(card('energy-date-selection'));
    if (has('grid') || has('solar') || has('battery')) energyCards.push(card('energy-usage-graph'), card('energy-distribution'));
    energyCards.push(card('energy-sources-table'));
  }
  const solarCards = has('solar') ? [card('energy-solar-graph'), ...(returnsToGrid ? [card('energy-solar-consumed-gauge'), card('energy-self-sufficiency-gauge')] : [])] : [];
  const gridCards = returnsToGrid ? [card('energy-grid-neutrality-gauge')] : [];
  const otherCards = [...(has('gas') ? [card('energy-gas-graph')] : []), ...(has('water') ? [card('energy-water-graph')] : [])];
  const deviceCards = (energyPrefs?.device_consumption.length ?? 0) > 0 ? [card('energy-devices-graph'), card('energy-devices-detail-graph')] : [];
  // The meters the prefs name, where the catalog has them as entities.
  const meters = [...new Set(sources.flatMap((s) => [...(s.flow_from ?? []).map((f) => f.stat_energy_from), ...(s.flow_to ?? []).map((f) => f.stat_energy_to), s.stat_energy_from, s.stat_energy_to]))]
    .filter((id): id is string => typeof id === 'string' && known.has(id));
  const power = of(entities, 'sensor').filter((e) => e.unit !== null && POWER_UNITS.has(e.unit) && !DIAGNOSTIC.test(e.entity_id));
  const energyMeters = meters.length > 0 ? meters : of(entities, 'sensor').filter((e) => e.unit !== null && ENERGY_UNITS.has(e.unit)).map((e) => e.entity_id);
  return {
    icon: 'mdi:lightning-bolt',
    sections: [
      section('Energy', 'mdi:lightning-bolt', energyCards),
      section('Solar', 'mdi:solar-power', solarCards),
      section('Grid', 'mdi:transmission-tower', gridCards),
      section('Gas and water', 'mdi:fire', otherCards),
      section('Devices', 'mdi:power-plug', deviceCards),
      section('Power now', 'mdi:flash', [...tiles(power), ...history('Power, last 24 hours', power)]),
      section('Meters', 'mdi:meter-electric', energyMeters.slice(0, MAX_TILES_PER_SECTION).map((entity) => card('tile', { entity }))),
    ],
  };
}

/** Everything of one area worth a control or a reading, grouped as a person looks for it. */
function areaSections(area: string, entities: readonly CatalogEntityView[]): { icon: string; sections: LovelaceSection[] } {
  const inArea = entities.filter((e) => e.area === area);
  const sensors = of(inArea, 'sensor').filter((e) => e.unit !== null && !DIAGNOSTIC.test(e.entity_id));
  const climateSensors = sensors.filter((e) => (e.unit !== null && TEMPERATURE_UNITS.has(e.unit)) || /humidity/.test(e.entity_id));
  return {
    icon: 'mdi:floor-plan',
    sections: [
      section('Lights and switches', 'mdi:lightbulb-group', tiles([...of(inArea, 'light'), ...of(inArea, 'switch'), ...of(inArea, 'fan')])),
      section('Climate', 'mdi:thermostat', [...of(inArea, 'climate').map((e) => card('thermostat', { entity: e.entity_id })), ...tiles(of(inArea, 'humidifier'))]),
      section('Blinds and doors', 'mdi:blinds', tiles([...of(inArea, 'cover'), ...of(inArea, 'lock')])),
      section('Media', 'mdi:television', of(inArea, 'media_player').map((e) => card('media-control', { entity: e.entity_id }))),
      section('Sensors', 'mdi:eye', [...tiles([...sensors, ...of(inArea, 'binary_sensor').filter((e) => !DIAGNOSTIC.test(e.entity_id))]), ...history('Last 24 hours', climateSensors)]),
      section('Cameras', 'mdi:cctv', of(inArea, 'camera').map((e) => card('picture-entity', { entity: e.entity_id }))),
      section('Cleaning', 'mdi:robot-vacuum', tiles(of(inArea, 'vacuum'))),
    ],
  };
}

function section(heading: string, icon: string, cards: LovelaceCard[]): LovelaceSection {
  return { type: 'grid', cards: cards.length === 0 ? [] : [card('heading', { heading, icon }), ...cards] };
}

function card(type: HaLovelaceCardType, options: Record<string, unknown> = {}): LovelaceCard {
  return { type, ...options };
}

function tiles(entities: readonly CatalogEntityView[]): LovelaceCard[] {
  return entities.slice(0, MAX_TILES_PER_SECTION).map((e) => card('tile', { entity: e.entity_id }));
}

function history(title: string, entities: readonly CatalogEntityView[]): LovelaceCard[] {
  return entities.length === 0 ? [] : [card('history-graph', { title, hours_to_show: 24, entities: entities.slice(0, 6).map((e) => e.entity_id) })];
}

function of(entities: readonly CatalogEntityView[], domain: string): CatalogEntityView[] {
  return entities.filter((e) => e.domain === domain).sort((a, b) => a.entity_id.localeCompare(b.entity_id));
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
