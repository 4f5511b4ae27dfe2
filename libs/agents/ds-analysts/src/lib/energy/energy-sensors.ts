import type { HaEnergyPrefs, HaEntityState } from '@aether/home-assistant';
import { ENERGY_UNIT_TO_KWH } from './meter-consumption';

/** `mains`: the grid import meter(s); `consumer`: a meter of one device or circuit. */
export type EnergySensorRole = 'mains' | 'consumer';

export interface EnergySensor {
  entityId: string;
  name: string;
  role: EnergySensorRole;
  unit: string;
  kwhPerUnit: number;
  /** A consumer metered inside another consumer (HA `included_in_stat`): not added to the sum again. */
  includedIn?: string;
}

export interface SkippedSensor {
  entityId: string;
  reason: string;
}

export interface EnergySensorSelection {
  /** Where the sensor list came from. */
  source: 'energy_prefs' | 'states';
  sensors: EnergySensor[];
  skipped: SkippedSensor[];
}

/**
 * Picks the meters to analyse. HA's Energy configuration is authoritative (grid import = mains,
 * individual devices = consumers); without one, every kWh-like `device_class: energy` sensor is a
 * consumer and there is no mains meter.
 */
export function selectEnergySensors(prefs: HaEnergyPrefs | null, states: readonly HaEntityState[]): EnergySensorSelection {
  const byId = new Map(states.map((s) => [s.entity_id, s]));
  const mainsIds = unique(
    (prefs?.energy_sources ?? [])
      .filter((source) => source.type === 'grid')
      .flatMap((source) => [...(source.flow_from ?? []).map((f) => f.stat_energy_from), ...(source.stat_energy_from ? [source.stat_energy_from] : [])]),
  );
  const devices = prefs?.device_consumption ?? [];

  if (mainsIds.length > 0 || devices.length > 0) {
    const sensors: EnergySensor[] = [];
    const skipped: SkippedSensor[] = [];
    const add = (entityId: string, role: EnergySensorRole, configuredName?: string, includedIn?: string) => {
      if (sensors.some((s) => s.entityId === entityId)) return;
      const resolved = resolveSensor(entityId, byId.get(entityId));
      if ('reason' in resolved) {
        skipped.push(resolved);
        return;
      }
      sensors.push({ ...resolved, role, name: configuredName || resolved.name, ...(includedIn ? { includedIn } : {}) });
    };
    for (const id of mainsIds) add(id, 'mains');
    for (const device of devices) add(device.stat_consumption, 'consumer', device.name ?? undefined, device.included_in_stat ?? undefined);
    return { source: 'energy_prefs', sensors, skipped };
  }

  const sensors = states
    .filter((s) => s.entity_id.startsWith('sensor.') && s.attributes['device_class'] === 'energy')
    .map((s) => resolveSensor(s.entity_id, s))
    .filter((r): r is Omit<EnergySensor, 'role'> => !('reason' in r))
    .map((r) => ({ ...r, role: 'consumer' as const }));
  return { source: 'states', sensors, skipped: [] };
}

function resolveSensor(entityId: string, state: HaEntityState | undefined): Omit<EnergySensor, 'role'> | SkippedSensor {
  // Statistic ids such as "tibber:energy_consumption" are long-term statistics without an entity:
  // they have no state history.
  if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(entityId)) return { entityId, reason: 'not an entity (external statistic)' };
  if (!state) return { entityId, reason: 'entity not found in Home Assistant' };
  const unit = typeof state.attributes['unit_of_measurement'] === 'string' ? state.attributes['unit_of_measurement'] : '';
  const kwhPerUnit = ENERGY_UNIT_TO_KWH[unit];
  if (kwhPerUnit === undefined) return { entityId, reason: `unit "${unit || 'none'}" is not an electrical energy unit (Wh, kWh, MWh)` };
  const friendly = state.attributes['friendly_name'];
  return { entityId, name: typeof friendly === 'string' && friendly.trim() ? friendly : entityId, unit, kwhPerUnit };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => typeof v === 'string' && v.length > 0))];
}
