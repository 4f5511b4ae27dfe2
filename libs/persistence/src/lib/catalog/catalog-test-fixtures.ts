import type { CatalogEntityInput, CatalogSnapshot } from './catalog.store';

/** A small home for catalog tests: two floors, three areas, two devices, entities, one of each config kind. */
export function sampleCatalogSnapshot(): CatalogSnapshot {
  const changed = new Date('2026-11-01T10:00:00Z');
  const entity = (entityId: string, name: string, state: string, extra: Partial<CatalogEntityInput> = {}): CatalogEntityInput => ({
    entityId,
    domain: entityId.split('.')[0],
    name,
    state,
    attributes: { friendly_name: name },
    areaId: null,
    deviceId: null,
    platform: 'demo',
    deviceClass: null,
    unit: null,
    labels: [],
    lastChanged: changed,
    ...extra,
  });
  return {
    domains: null,
    floors: [
      { floorId: 'ground', name: 'Ground floor', level: 0, aliases: [] },
      { floorId: 'first', name: 'First floor', level: 1, aliases: ['upstairs'] },
    ],
    areas: [
      { areaId: 'kitchen', name: 'Kitchen', floorId: 'ground', aliases: ['cooking'], icon: null },
      { areaId: 'living_room', name: 'Living Room', floorId: 'ground', aliases: [], icon: null },
      { areaId: 'bedroom', name: 'Bedroom', floorId: 'first', aliases: [], icon: null },
    ],
    devices: [
      { deviceId: 'dev-fridge', name: 'Fridge', manufacturer: 'Bosch', model: 'KGN', areaId: 'kitchen', viaDeviceId: null, swVersion: null, disabledBy: null, labels: [] },
      { deviceId: 'dev-lamp', name: 'Ceiling lamp', manufacturer: 'Signify', model: 'Hue White', areaId: 'living_room', viaDeviceId: null, swVersion: '1.2', disabledBy: null, labels: [] },
    ],
    entities: [
      entity('sensor.fridge_power', 'Fridge power', '85', { areaId: 'kitchen', deviceId: 'dev-fridge', deviceClass: 'power', unit: 'W' }),
      entity('light.kitchen', 'Kitchen light', 'off', { areaId: 'kitchen' }),
      entity('light.living_room', 'Living room light', 'on', { areaId: 'living_room', deviceId: 'dev-lamp' }),
      entity('sensor.outdoor_temperature', 'Outdoor temperature', '7.5', { deviceClass: 'temperature', unit: '°C' }),
      entity('automation.night_lights', 'Night lights', 'on'),
      entity('script.good_night', 'Good night', 'off'),
      entity('scene.movie', 'Movie', '2026-11-01T09:00:00+00:00'),
    ],
    automations: [
      {
        entityId: 'automation.night_lights',
        automationId: '1001',
        alias: 'Night lights',
        description: null,
        state: 'on',
        mode: 'single',
        triggerTypes: ['sun'],
        config: { id: '1001', alias: 'Night lights', triggers: [{ trigger: 'sun', event: 'sunset' }], actions: [] },
        lastTriggered: null,
      },
    ],
    scripts: [{ entityId: 'script.good_night', objectId: 'good_night', alias: 'Good night', state: 'off', mode: 'single', config: { sequence: [] }, lastTriggered: null }],
    scenes: [{ entityId: 'scene.movie', sceneId: '2001', name: 'Movie', state: '2026-11-01T09:00:00+00:00', config: { name: 'Movie', entities: {} } }],
  };
}
