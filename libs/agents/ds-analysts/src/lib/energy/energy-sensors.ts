import type { HaEnergyPrefs, HaEnergySource, HaEntityState } from '@aether/home-assistant';
import { ENERGY_UNIT_TO_KWH } from './meter-consumption';

/**
 * What a meter counts in HA's Energy configuration: `mains` grid import, `export` grid export,
 * `production` solar or wind, `battery_in` / `battery_out` energy into / out of a battery, and
 * `consumer` one device or circuit (individual devices).
 */
export type EnergySensorRole = 'mains' | 'export' | 'production' | 'battery_in' | 'battery_out' | 'consumer';

/** The roles whose meters make up home consumption (HA's energy balance), with their sign in it. */
export const BALANCE_SIGN: Readonly<Partial<Record<EnergySensorRole, 1 | -1>>> = { mains: 1, export: -1, production: 1, battery_out: 1, battery_in: -1 };

export interface EnergySensor {
  entityId: string;
  name: string;
  role: EnergySensorRole;
  unit: string;
  kwhPerUnit: number;
  /** A consumer metered inside another consumer (HA `included_in_stat`): not added to the sum again. */
  includedIn?: string;
  /** Grid import: its price (cost); grid export: its compensation — as the Energy configuration sets them. */
  price?: EnergyPrice;
}

/**
 * A price per kWh as HA's Energy configuration gives it: a fixed number, or an entity whose state
 * is the price at each moment (a tariff sensor or an `input_number` helper). A meter priced by
 * HA's own cost statistic (`stat_cost`) is not priced here.
 */
export type EnergyPrice = { perKwh: number } | { entityId: string };

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
 * Picks the meters to analyse. HA's Energy configuration is authoritative: its grid connections
 * (import and export, in the legacy `flow_from`/`flow_to` shape or the unified one), solar and wind
 * production, batteries and individual devices. Without one, every kWh-like `device_class: energy`
 * sensor is a consumer and there is no grid meter.
 */
export function selectEnergySensors(prefs: HaEnergyPrefs | null, states: readonly HaEntityState[]): EnergySensorSelection {
  const byId = new Map(states.map((s) => [s.entity_id, s]));
  const sources = prefs?.energy_sources ?? [];
  const ids = (types: readonly string[], pick: (source: HaEnergySource) => Array<string | null | undefined>) =>
    unique(sources.filter((source) => types.includes(source.type)).flatMap((source) => pick(source).filter((id): id is string => typeof id === 'string')));
  const grids = sources.filter((source) => source.type === 'grid');
  // Legacy grids price each flow; unified ones price the connection.
  const prices = new Map<string, EnergyPrice>();
  const setPrice = (meter: string | null | undefined, perKwh: number | null | undefined, entityId: string | null | undefined) => {
    if (!meter) return;
    if (typeof entityId === 'string' && entityId) prices.set(meter, { entityId });
    else if (typeof perKwh === 'number' && Number.isFinite(perKwh)) prices.set(meter, { perKwh });
  };
  for (const grid of grids) {
    for (const flow of grid.flow_from ?? []) setPrice(flow.stat_energy_from, flow.number_energy_price, flow.entity_energy_price);
    for (const flow of grid.flow_to ?? []) setPrice(flow.stat_energy_to, flow.number_energy_price, flow.entity_energy_price);
    setPrice(grid.stat_energy_from, grid.number_energy_price, grid.entity_energy_price);
    setPrice(grid.stat_energy_to, grid.number_energy_price_export, grid.entity_energy_price_export);
  }
  const sourceMeters: Array<[EnergySensorRole, string[]]> = [
    ['mains', ids(['grid'], (source) => [...(source.flow_from ?? []).map((f) => f.stat_energy_from), source.stat_energy_from])],
    ['export', ids(['grid'], (source) => [...(source.flow_to ?? []).map((f) => f.stat_energy_to), source.stat_energy_to])],
    ['production', ids(['solar', 'wind'], (source) => [source.stat_energy_from])],
    // A battery's `from` is what it gives the home, its `to` what it takes.
    ['battery_out', ids(['battery'], (source) => [source.stat_energy_from])],
    ['battery_in', ids(['battery'], (source) => [source.stat_energy_to])],
  ];
  const devices = prefs?.device_consumption ?? [];

  if (sourceMeters.some(([, meterIds]) => meterIds.length > 0) || devices.length > 0) {
    const sensors: EnergySensor[] = [];
    const skipped: SkippedSensor[] = [];
    const add = (entityId: string, role: EnergySensorRole, configuredName?: string, includedIn?: string) => {
      if (sensors.some((s) => s.entityId === entityId)) return;
      const resolved = resolveSensor(entityId, byId.get(entityId));
      if ('reason' in resolved) {
        skipped.push(resolved);
        return;
      }
      const price = role === 'mains' || role === 'export' ? prices.get(entityId) : undefined;
      sensors.push({ ...resolved, role, name: configuredName || resolved.name, ...(includedIn ? { includedIn } : {}), ...(price ? { price } : {}) });
    };
    for (const [role, meterIds] of sourceMeters) for (const id of meterIds) add(id, role);
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
