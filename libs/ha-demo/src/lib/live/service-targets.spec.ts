import type { HomeRegistries } from '../model/home-model';
import { resolveTargets } from './service-targets';

const entry = (entity_id: string, device_id: string | null, area_id: string | null, labels: string[] = []) => ({ entity_id, device_id, area_id, labels }) as HomeRegistries['entities'][number];
const REGISTRIES = {
  floors: [],
  areas: [
    { area_id: 'kitchen', floor_id: 'ground' },
    { area_id: 'attic', floor_id: 'top' },
  ],
  devices: [
    { id: 'hub', area_id: 'kitchen' },
    { id: 'lamp', area_id: 'attic' },
  ],
  entities: [
    entry('light.kitchen', null, 'kitchen'),
    entry('sensor.hub_temperature', 'hub', null),
    entry('sensor.hub_moved', 'hub', 'attic', ['battery']),
    entry('light.attic', 'lamp', null),
  ],
} as unknown as HomeRegistries;

describe('resolveTargets', () => {
  const resolve = (target: Record<string, unknown>) => resolveTargets(target, () => ['light.kitchen', 'light.attic'], () => REGISTRIES).sort();

  it('takes entity ids as a list or comma-separated, and "all"', () => {
    expect(resolve({ entity_id: 'Light.Kitchen, light.x' })).toEqual(['light.kitchen', 'light.x']);
    expect(resolve({ entity_id: ['light.kitchen'] })).toEqual(['light.kitchen']);
    expect(resolve({ entity_id: 'all' })).toEqual(['light.attic', 'light.kitchen']);
  });

  it('expands devices, areas (entity area wins over device area), floors and labels', () => {
    expect(resolve({ device_id: 'hub' })).toEqual(['sensor.hub_moved', 'sensor.hub_temperature']);
    expect(resolve({ area_id: 'kitchen' })).toEqual(['light.kitchen', 'sensor.hub_temperature']);
    expect(resolve({ area_id: ['attic'] })).toEqual(['light.attic', 'sensor.hub_moved']);
    expect(resolve({ floor_id: 'ground' })).toEqual(['light.kitchen', 'sensor.hub_temperature']);
    expect(resolve({ label_id: 'battery' })).toEqual(['sensor.hub_moved']);
    expect(resolve({})).toEqual([]);
  });
});
