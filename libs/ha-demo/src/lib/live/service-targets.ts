import type { HomeRegistries } from '../model/home-model';

/**
 * The entity ids a service call's target names, the way HA expands it: entity ids (or "all");
 * every entity of a named device; for areas (named directly or through their floor), the entities
 * assigned to the area plus the entities of the area's devices that have no area of their own;
 * entities carrying a named label. Registries and the entity list are only read when needed.
 */
export function resolveTargets(target: Record<string, unknown>, allEntityIds: () => string[], registries: () => HomeRegistries): string[] {
  const ids = new Set<string>();
  const entityIds = asList(target['entity_id']);
  if (entityIds.includes('all')) {
    for (const id of allEntityIds()) ids.add(id);
  } else {
    for (const id of entityIds) ids.add(id.toLowerCase());
  }
  const deviceIds = new Set(asList(target['device_id']));
  const areaIds = new Set(asList(target['area_id']));
  const floorIds = new Set(asList(target['floor_id']));
  const labelIds = new Set(asList(target['label_id']));
  if (deviceIds.size + areaIds.size + floorIds.size + labelIds.size === 0) return [...ids];

  const { areas, devices, entities } = registries();
  for (const area of areas) if (area.floor_id && floorIds.has(area.floor_id)) areaIds.add(area.area_id);
  const devicesInAreas = new Set(devices.filter((device) => device.area_id && areaIds.has(device.area_id)).map((device) => device.id));
  for (const entry of entities) {
    const named = entry.device_id !== null && deviceIds.has(entry.device_id);
    const inArea = entry.area_id ? areaIds.has(entry.area_id) : entry.device_id !== null && devicesInAreas.has(entry.device_id);
    const labelled = entry.labels.some((label) => labelIds.has(label));
    if (named || inArea || labelled) ids.add(entry.entity_id);
  }
  return [...ids];
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
  return [];
}
