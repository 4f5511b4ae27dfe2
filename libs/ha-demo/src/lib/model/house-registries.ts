import type { HaAreaRegistryEntry, HaConfigEntry, HaDeviceRegistryEntry, HaEntityRegistryEntry, HaFloorRegistryEntry } from '@aether/home-assistant';
import type { HomeRegistries } from './home-model';
import type { HouseEntity } from './house-entities';
import { AREAS, DEVICES, FLOORS, INTEGRATIONS, type DeviceSpec, type IntegrationSpec } from './house-layout';
import { configEntryId, registryHexId } from './registry-ids';
import { hash32, seedOf } from './deterministic-random';

/** When the house was set up in HA (registries' created_at); integrations were added over the following months. */
const SETUP_MS = Date.UTC(2024, 2, 9, 14, 21, 7);
const DAY_MS = 86_400_000;

function addedAtMs(name: string, spreadDays = 240): number {
  return SETUP_MS + (hash32(seedOf(name), 7) % (spreadDays * DAY_MS));
}
const seconds = (ms: number) => ms / 1000;

export function integrationEntryId(spec: IntegrationSpec): string {
  return configEntryId(spec.key, addedAtMs(`integration.${spec.key}`, 200));
}

export function deviceId(key: string): string {
  return registryHexId(`device.${key}`);
}

/** `GET /api/config/config_entries/entry` (and WS `config_entries/get`). */
export function buildConfigEntries(): HaConfigEntry[] {
  return INTEGRATIONS.map((spec) => {
    const created = seconds(addedAtMs(`integration.${spec.key}`, 200));
    const entry: HaConfigEntry & Record<string, unknown> = {
      created_at: created,
      entry_id: integrationEntryId(spec),
      domain: spec.domain,
      modified_at: created,
      title: spec.title,
      source: spec.source,
      state: spec.state ?? 'loaded',
      supports_options: ['met', 'zha', 'shelly', 'cast', 'solaredge', 'roborock', 'tado'].includes(spec.domain),
      supports_remove_device: ['zha', 'shelly', 'hue', 'mobile_app', 'cast'].includes(spec.domain),
      supports_unload: spec.domain !== 'backup',
      supports_reconfigure: ['zha', 'shelly', 'hue', 'roborock'].includes(spec.domain),
      supported_subentry_types: {},
      pref_disable_new_entities: false,
      pref_disable_polling: false,
      disabled_by: null,
      reason: spec.state ? (spec.reason ?? null) : null,
      error_reason_translation_key: null,
      error_reason_translation_placeholders: null,
      num_subentries: 0,
    };
    return entry;
  });
}

/** The four registries, consistent with the house's entities and layout. */
export function buildRegistries(entities: readonly HouseEntity[]): HomeRegistries {
  const integrationByKey = new Map(INTEGRATIONS.map((spec) => [spec.key, spec]));
  const deviceByKey = new Map(DEVICES.map((spec) => [spec.key, spec]));
  const entryOf = (device: DeviceSpec) => {
    const integration = integrationByKey.get(device.integration);
    if (!integration) throw new Error(`Device ${device.key} names unknown integration ${device.integration}`);
    return integration;
  };

  const floors: HaFloorRegistryEntry[] = FLOORS.map((floor) => ({
    aliases: [],
    created_at: seconds(SETUP_MS),
    floor_id: floor.id,
    icon: floor.icon,
    level: floor.level,
    modified_at: seconds(SETUP_MS),
    name: floor.name,
  }));

  const areas: HaAreaRegistryEntry[] = AREAS.map((area) => ({
    aliases: area.aliases ?? [],
    area_id: area.id,
    floor_id: area.floor,
    humidity_entity_id: area.humidity ?? null,
    icon: area.icon,
    labels: [],
    name: area.name,
    picture: null,
    temperature_entity_id: area.temperature ?? null,
    created_at: seconds(SETUP_MS),
    modified_at: seconds(addedAtMs(`area.${area.id}`, 60)),
  }));

  const devices: HaDeviceRegistryEntry[] = DEVICES.map((device) => {
    const integration = entryOf(device);
    const entryId = integrationEntryId(integration);
    const created = seconds(addedAtMs(`integration.${integration.key}`, 200) + 60_000);
    const mac = macOf(device.key);
    const zigbee = integration.domain === 'zha';
    return {
      area_id: device.area,
      configuration_url: integration.domain === 'shelly' ? `http://${ipOf(device.key)}` : null,
      config_entries: [entryId],
      config_entries_subentries: { [entryId]: [null] },
      connections: zigbee ? [['zigbee', ieeeOf(device.key)]] : device.entryType ? [] : [['mac', mac]],
      created_at: created,
      disabled_by: null,
      entry_type: device.entryType ?? null,
      hw_version: null,
      id: deviceId(device.key),
      identifiers: [[integration.domain, zigbee ? ieeeOf(device.key) : device.entryType ? entryId : mac.replace(/:/g, '').toUpperCase()]],
      labels: [],
      manufacturer: device.manufacturer,
      model: device.model,
      model_id: device.modelId ?? null,
      modified_at: created,
      name_by_user: null,
      name: device.name,
      primary_config_entry: entryId,
      serial_number: null,
      sw_version: device.swVersion ?? null,
      via_device_id: device.via ? deviceId(device.via) : null,
    } satisfies HaDeviceRegistryEntry & Record<string, unknown>;
  });

  const registryEntities: HaEntityRegistryEntry[] = [];
  for (const { entity, registration } of entities) {
    if (!registration) continue;
    const device = registration.device ? deviceByKey.get(registration.device) : undefined;
    if (registration.device && !device) throw new Error(`${entity.entityId} names unknown device ${registration.device}`);
    const integration = device ? entryOf(device) : INTEGRATIONS.find((spec) => spec.domain === registration.platform);
    const created = seconds(addedAtMs(`integration.${integration?.key ?? registration.platform}`, 200) + 120_000);
    const objectId = entity.entityId.slice(entity.entityId.indexOf('.') + 1);
    const entry: HaEntityRegistryEntry & Record<string, unknown> = {
      area_id: registration.area ?? null,
      categories: {},
      config_entry_id: integration ? integrationEntryId(integration) : null,
      config_subentry_id: null,
      created_at: created,
      device_id: device ? deviceId(device.key) : null,
      disabled_by: null,
      entity_category: registration.category ?? null,
      entity_id: entity.entityId,
      has_entity_name: device !== undefined,
      hidden_by: null,
      icon: null,
      id: registryHexId(`entity.${entity.entityId}`),
      labels: [],
      modified_at: created,
      name: null,
      options: { conversation: { should_expose: registration.category === undefined } },
      original_name: registration.originalName ?? null,
      platform: registration.platform,
      translation_key: null,
      unique_id: device ? `${uniqueStem(device)}-${objectId}` : objectId,
    };
    registryEntities.push(entry);
  }
  return { entities: registryEntities, devices, areas, floors };
}

function uniqueStem(device: DeviceSpec): string {
  return device.integration === 'zha' ? ieeeOf(device.key) : macOf(device.key).replace(/:/g, '');
}

function macOf(key: string): string {
  const h = hash32(seedOf(`mac.${key}`), 0);
  const bytes = [0x34, 0x98, 0x7a, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function ieeeOf(key: string): string {
  const seed = seedOf(`ieee.${key}`);
  const bytes = [0x54, 0xef, 0x44, 0x10, (hash32(seed, 0) >>> 24) & 0xff, (hash32(seed, 1) >>> 16) & 0xff, (hash32(seed, 2) >>> 8) & 0xff, hash32(seed, 3) & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function ipOf(key: string): string {
  return `192.168.1.${60 + (hash32(seedOf(`ip.${key}`), 0) % 120)}`;
}
