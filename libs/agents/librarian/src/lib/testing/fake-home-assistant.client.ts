import {
  HomeAssistantError,
  type HaAreaRegistryEntry,
  type HaAutomationConfig,
  type HaCoreConfig,
  type HaDeviceRegistryEntry,
  type HaEntitiesSnapshot,
  type HaEntitiesSubscription,
  type HaEntityRegistryEntry,
  type HaEntityState,
  type HaFloorRegistryEntry,
  type HaSceneConfig,
  type HaScriptConfig,
} from '@aether/home-assistant';
import { UnscriptedHomeAssistantClient } from '@aether/home-assistant/testing';

/** The client's calls that change the home. */
const HOME_ASSISTANT_WRITES: ReadonlySet<string> = new Set([
  'callService',
  'saveAutomationConfig',
  'deleteAutomationConfig',
  'saveScriptConfig',
  'deleteScriptConfig',
  'saveSceneConfig',
  'deleteSceneConfig',
  'saveLovelaceConfig',
]);

/** The content of a fake home: states plus registries and stored configs. */
export interface FakeHome {
  states: HaEntityState[];
  entities: HaEntityRegistryEntry[];
  devices: HaDeviceRegistryEntry[];
  areas: HaAreaRegistryEntry[];
  floors: HaFloorRegistryEntry[];
  automations: Record<string, HaAutomationConfig>;
  scripts: Record<string, HaScriptConfig>;
  scenes: Record<string, HaSceneConfig>;
}

const T0 = '2026-11-01T10:00:00.000+00:00';

/**
 * A Home Assistant that lives in memory (read side only). Every write method throws: the Librarian
 * must never change the home, and a test would see it.
 */
export class FakeHomeAssistantClient extends UnscriptedHomeAssistantClient {
  override readonly baseUrl = 'http://127.0.0.1:0';
  registriesFail = false;
  readonly writes: string[] = [];
  private readonly states = new Map<string, HaEntityState>();
  private readonly listeners = new Set<(states: HaEntitiesSnapshot) => void>();
  private clock = 0;

  constructor(readonly home: FakeHome) {
    super();
    for (const state of home.states) this.states.set(state.entity_id, state);
  }

  override async getConfig(): Promise<HaCoreConfig> {
    return { location_name: 'Fake home', latitude: 52.37, longitude: 4.89, elevation: 0, unit_system: {}, time_zone: 'Europe/Amsterdam', components: [], version: '2026.12.0' };
  }

  /** Changes an entity's state (or adds one) and tells subscribers, as HA's event stream would. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): void {
    const previous = this.states.get(entityId);
    const now = new Date(Date.parse(T0) + ++this.clock * 1_000).toISOString();
    this.states.set(entityId, {
      entity_id: entityId,
      state,
      attributes: attributes ?? previous?.attributes ?? {},
      last_changed: previous && previous.state === state ? previous.last_changed : now,
      last_updated: now,
    });
    this.emit();
  }

  removeState(entityId: string): void {
    this.states.delete(entityId);
    this.emit();
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  emit(): void {
    const snapshot = Object.fromEntries(this.states);
    for (const listener of this.listeners) listener(snapshot);
  }

  override async getStates(): Promise<HaEntityState[]> {
    return [...this.states.values()];
  }
  override async getState(entityId: string): Promise<HaEntityState | null> {
    return this.states.get(entityId) ?? null;
  }
  override async getEntityRegistry(): Promise<HaEntityRegistryEntry[]> {
    return this.registry(this.home.entities);
  }
  override async getDeviceRegistry(): Promise<HaDeviceRegistryEntry[]> {
    return this.registry(this.home.devices);
  }
  override async getAreaRegistry(): Promise<HaAreaRegistryEntry[]> {
    return this.registry(this.home.areas);
  }
  override async getFloorRegistry(): Promise<HaFloorRegistryEntry[]> {
    return this.registry(this.home.floors);
  }
  override async getAutomationConfig(id: string): Promise<HaAutomationConfig | null> {
    return this.home.automations[id] ?? null;
  }
  override async getScriptConfig(objectId: string): Promise<HaScriptConfig | null> {
    return this.home.scripts[objectId] ?? null;
  }
  override async getSceneConfig(id: string): Promise<HaSceneConfig | null> {
    return this.home.scenes[id] ?? null;
  }
  override async subscribeEntities(onChange: (states: HaEntitiesSnapshot) => void): Promise<HaEntitiesSubscription> {
    this.listeners.add(onChange);
    // HA sends the full current states first.
    queueMicrotask(() => onChange(Object.fromEntries(this.states)));
    return { unsubscribe: async () => void this.listeners.delete(onChange) };
  }
  override async close(): Promise<void> {
    this.listeners.clear();
  }

  private async registry<T>(entries: T[]): Promise<T[]> {
    if (this.registriesFail) throw new HomeAssistantError('protocol', 'Unknown command: config/entity_registry/list');
    return structuredClone(entries);
  }

  /** Every write is recorded and refused; anything else not scripted here fails naming the call (base class). */
  protected override unscripted(call: string): Promise<never> {
    if (!HOME_ASSISTANT_WRITES.has(call)) return super.unscripted(call);
    this.writes.push(call);
    return Promise.reject(new Error(`The Librarian must not change Home Assistant (${call})`));
  }
}

/**
 * A generated home: `areaCount` areas over two floors, devices of `entitiesPerDevice` entities
 * each, plus automations, scripts and scenes, `entityCount` entities in all.
 */
export function generatedHome({ entityCount, areaCount = 20, entitiesPerDevice = 5 }: { entityCount: number; areaCount?: number; entitiesPerDevice?: number }): FakeHome {
  const home: FakeHome = { states: [], entities: [], devices: [], areas: [], floors: [], automations: {}, scripts: {}, scenes: {} };
  home.floors.push(floor('ground', 'Ground floor', 0), floor('first', 'First floor', 1));
  for (let a = 0; a < areaCount; a++) home.areas.push(area(`area_${a}`, `Area ${a}`, a % 2 ? 'first' : 'ground'));
  const special = Math.min(30, Math.floor(entityCount / 10));
  const deviceEntities = entityCount - 3 * special;
  for (let i = 0; i < deviceEntities; i++) {
    const d = Math.floor(i / entitiesPerDevice);
    if (i % entitiesPerDevice === 0) home.devices.push(device(`dev_${d}`, `Device ${d}`, `area_${d % areaCount}`, 'Acme', `Model ${d % 7}`));
    const domain = ['sensor', 'light', 'switch', 'binary_sensor', 'sensor'][i % 5];
    addEntity(home, `${domain}.device_${d}_${i}`, `Device ${d} ${domain} ${i}`, domain === 'light' || domain === 'switch' ? 'off' : String(i), { device_id: `dev_${d}` });
  }
  for (let i = 0; i < special; i++) {
    addEntity(home, `automation.rule_${i}`, `Rule ${i}`, 'on', {}, { id: `rule${i}` });
    home.automations[`rule${i}`] = { id: `rule${i}`, alias: `Rule ${i}`, mode: 'single', triggers: [{ trigger: 'state', entity_id: 'light.x' }], actions: [] };
    addEntity(home, `script.routine_${i}`, `Routine ${i}`, 'off');
    home.scripts[`routine_${i}`] = { alias: `Routine ${i}`, sequence: [] };
    addEntity(home, `scene.mood_${i}`, `Mood ${i}`, 'unknown', {}, { id: `mood${i}` });
    home.scenes[`mood${i}`] = { id: `mood${i}`, name: `Mood ${i}`, entities: {} };
  }
  return home;
}

export function addEntity(
  home: FakeHome,
  entityId: string,
  name: string,
  state: string,
  registry: Partial<HaEntityRegistryEntry> = {},
  attributes: Record<string, unknown> = {},
): void {
  home.states.push({ entity_id: entityId, state, attributes: { friendly_name: name, ...attributes }, last_changed: T0, last_updated: T0 });
  home.entities.push({
    entity_id: entityId,
    id: `reg-${entityId}`,
    platform: 'fake',
    config_entry_id: null,
    device_id: null,
    area_id: null,
    name: null,
    original_name: name,
    icon: null,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
    has_entity_name: false,
    labels: [],
    ...registry,
  });
}

export function device(id: string, name: string, areaId: string | null, manufacturer: string, model: string): HaDeviceRegistryEntry {
  return {
    id,
    name,
    name_by_user: null,
    manufacturer,
    model,
    sw_version: null,
    hw_version: null,
    area_id: areaId,
    config_entries: [],
    connections: [],
    identifiers: [['fake', id]],
    via_device_id: null,
    disabled_by: null,
    entry_type: null,
    labels: [],
  };
}

export function area(areaId: string, name: string, floorId: string | null, aliases: string[] = []): HaAreaRegistryEntry {
  return { area_id: areaId, name, floor_id: floorId, icon: null, picture: null, aliases, labels: [] };
}

export function floor(floorId: string, name: string, level: number): HaFloorRegistryEntry {
  return { floor_id: floorId, name, level, icon: null, aliases: [] };
}

/** A small house to ask questions about: kitchen, living room, bedroom; fridge, lamp, thermostat. */
export function smallHome(): FakeHome {
  const home: FakeHome = { states: [], entities: [], devices: [], areas: [], floors: [], automations: {}, scripts: {}, scenes: {} };
  home.floors.push(floor('ground', 'Ground floor', 0), floor('first', 'First floor', 1));
  home.areas.push(area('kitchen', 'Kitchen', 'ground', ['cooking area']), area('living_room', 'Living Room', 'ground'), area('bedroom', 'Bedroom', 'first'));
  home.devices.push(
    device('dev_fridge', 'Fridge', 'kitchen', 'Bosch', 'KGN39'),
    device('dev_lamp', 'Ceiling lamp', 'living_room', 'Signify', 'Hue White'),
    device('dev_thermo', 'Thermostat', 'bedroom', 'tado', 'Smart Thermostat V3'),
  );
  addEntity(home, 'sensor.fridge_power', 'Fridge power', '85', { device_id: 'dev_fridge' }, { device_class: 'power', unit_of_measurement: 'W' });
  addEntity(home, 'binary_sensor.fridge_door', 'Fridge door', 'off', { device_id: 'dev_fridge' }, { device_class: 'door' });
  addEntity(home, 'light.kitchen_spots', 'Kitchen spots', 'off', { area_id: 'kitchen' });
  addEntity(home, 'light.living_room', 'Living room light', 'on', { device_id: 'dev_lamp' });
  // Its own area (kitchen) wins over its device's (living room).
  addEntity(home, 'light.lamp_night', 'Night lamp', 'off', { device_id: 'dev_lamp', area_id: 'kitchen' });
  addEntity(home, 'climate.bedroom', 'Bedroom thermostat', 'heat', { device_id: 'dev_thermo' }, { current_temperature: 19.5 });
  addEntity(home, 'sensor.outdoor_temperature', 'Outdoor temperature', '7.5', {}, { device_class: 'temperature', unit_of_measurement: '°C', area: 'Garden' });
  addEntity(home, 'automation.night_lights', 'Night lights', 'on', {}, { id: '1001', last_triggered: '2026-11-01T06:00:00+00:00' });
  home.automations['1001'] = {
    id: '1001',
    alias: 'Night lights',
    description: 'Lights on at sunset',
    mode: 'single',
    triggers: [{ trigger: 'sun', event: 'sunset' }, { trigger: 'time', at: '22:00' }],
    actions: [{ action: 'light.turn_on', target: { entity_id: 'light.living_room' } }],
  };
  addEntity(home, 'automation.yaml_only', 'YAML only', 'off');
  addEntity(home, 'script.good_night', 'Good night', 'off');
  home.scripts['good_night'] = { alias: 'Good night', mode: 'single', sequence: [] };
  addEntity(home, 'scene.movie', 'Movie', 'unknown', {}, { id: '2001' });
  home.scenes['2001'] = { id: '2001', name: 'Movie time', entities: { 'light.living_room': { state: 'on', brightness: 60 } } };
  return home;
}
