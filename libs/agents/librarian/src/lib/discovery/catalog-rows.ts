import type { CatalogAreaInput, CatalogDeviceInput, CatalogEntityInput, CatalogFloorInput } from '@aether/persistence';
import { haSlugify, type HaAreaRegistryEntry, type HaDeviceRegistryEntry, type HaEntityRegistryEntry, type HaEntityState, type HaFloorRegistryEntry } from '@aether/home-assistant';

export function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}

export function objectIdOf(entityId: string): string {
  return entityId.slice(entityId.indexOf('.') + 1);
}

/**
 * One catalog row from a state plus its registry entry. The area is the entity's own, else its
 * device's (HA's own rule); `inferredAreaId` is used only when there is no registry at all.
 */
export function entityRow(
  state: HaEntityState,
  registry: HaEntityRegistryEntry | undefined,
  devices: ReadonlyMap<string, HaDeviceRegistryEntry>,
  inferredAreaId: string | null = null,
): CatalogEntityInput {
  const deviceId = registry?.device_id ?? null;
  const device = deviceId ? devices.get(deviceId) : undefined;
  return {
    entityId: state.entity_id,
    domain: domainOf(state.entity_id),
    name: registry?.name ?? stringAttribute(state, 'friendly_name') ?? registry?.original_name ?? objectIdOf(state.entity_id),
    state: state.state,
    attributes: state.attributes,
    areaId: registry ? (registry.area_id ?? device?.area_id ?? null) : inferredAreaId,
    deviceId,
    platform: registry?.platform ?? null,
    deviceClass: stringAttribute(state, 'device_class'),
    unit: stringAttribute(state, 'unit_of_measurement'),
    labels: registry?.labels ?? [],
    lastChanged: parseDate(state.last_changed),
  };
}

/** The entity row again with a newer state, keeping where it is (area, device) from the catalog. */
export function withNewState(row: CatalogEntityInput, state: HaEntityState): CatalogEntityInput {
  return {
    ...row,
    name: stringAttribute(state, 'friendly_name') ?? row.name,
    state: state.state,
    attributes: state.attributes,
    deviceClass: stringAttribute(state, 'device_class'),
    unit: stringAttribute(state, 'unit_of_measurement'),
    lastChanged: parseDate(state.last_changed),
  };
}

export function deviceRow(device: HaDeviceRegistryEntry): CatalogDeviceInput {
  return {
    deviceId: device.id,
    name: device.name_by_user ?? device.name ?? device.id,
    manufacturer: device.manufacturer ?? null,
    model: device.model ?? null,
    areaId: device.area_id ?? null,
    viaDeviceId: device.via_device_id ?? null,
    swVersion: device.sw_version ?? null,
    disabledBy: device.disabled_by ?? null,
    labels: device.labels ?? [],
  };
}

export function areaRow(area: HaAreaRegistryEntry): CatalogAreaInput {
  return { areaId: area.area_id, name: area.name, floorId: area.floor_id ?? null, aliases: area.aliases ?? [], icon: area.icon ?? null };
}

export function floorRow(floor: HaFloorRegistryEntry): CatalogFloorInput {
  return { floorId: floor.floor_id, name: floor.name, level: floor.level ?? null, aliases: floor.aliases ?? [] };
}

/**
 * Without an area registry (older HA, or a failing one): the area an integration puts in the
 * state's attributes (`area_id`, else `area` as a name), if any.
 */
export function inferAreaFromAttributes(state: HaEntityState): { areaId: string; name: string } | null {
  const areaId = stringAttribute(state, 'area_id');
  const name = stringAttribute(state, 'area');
  if (areaId) return { areaId, name: name ?? titleCase(areaId) };
  if (name) return { areaId: haSlugify(name), name };
  return null;
}

export function stringAttribute(state: HaEntityState, key: string): string | null {
  const value = state.attributes[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}


function titleCase(id: string): string {
  return id.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}
