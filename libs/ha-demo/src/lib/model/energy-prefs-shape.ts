import type { HaEnergyPrefs, HaEnergySource } from '@aether/home-assistant';

/**
 * Which `energy/get_prefs` grid shape the demo serves (`HA_DEMO_ENERGY_PREFS`): `unified` as the newest HA
 * (energy store minor version 3) stores it (one `type: grid` source per connection), `legacy` as older versions do (one
 * grid source with `flow_from`/`flow_to` lists).
 */
export type EnergyPrefsShape = 'unified' | 'legacy';

/** The preferences in the asked shape; sources other than the grid are the same in both. */
export function energyPrefsInShape(prefs: HaEnergyPrefs, shape: EnergyPrefsShape): HaEnergyPrefs {
  return { ...prefs, energy_sources: shape === 'unified' ? toUnifiedSources(prefs.energy_sources) : toLegacySources(prefs.energy_sources) };
}

const isLegacyGrid = (source: HaEnergySource) => source.type === 'grid' && 'flow_from' in source;

/** HA's storage migration (`_migrate_legacy_grid_to_unified`): flow_from[i] and flow_to[i] become grid connection i. */
function toUnifiedSources(sources: readonly HaEnergySource[]): HaEnergySource[] {
  return sources.flatMap((source) => {
    if (!isLegacyGrid(source)) return [source];
    const from = source.flow_from ?? [];
    const to = source.flow_to ?? [];
    return Array.from({ length: Math.max(from.length, to.length) }, (_, i): HaEnergySource => ({
      type: 'grid',
      stat_energy_from: from[i]?.stat_energy_from ?? null,
      stat_energy_to: to[i]?.stat_energy_to ?? null,
      stat_cost: from[i]?.stat_cost ?? null,
      entity_energy_price: from[i]?.entity_energy_price ?? null,
      number_energy_price: from[i]?.number_energy_price ?? null,
      stat_compensation: to[i]?.stat_compensation ?? null,
      entity_energy_price_export: to[i]?.entity_energy_price ?? null,
      number_energy_price_export: to[i]?.number_energy_price ?? null,
      cost_adjustment_day: source.cost_adjustment_day ?? 0,
    }));
  });
}

/** The reverse: every unified grid connection folds into the one legacy grid source, in order. */
function toLegacySources(sources: readonly HaEnergySource[]): HaEnergySource[] {
  const grids = sources.filter((source) => source.type === 'grid' && !isLegacyGrid(source));
  if (grids.length === 0) return [...sources];
  const legacy: HaEnergySource = {
    type: 'grid',
    flow_from: grids.flatMap((grid) =>
      grid.stat_energy_from
        ? [{ stat_energy_from: grid.stat_energy_from, stat_cost: grid.stat_cost ?? null, entity_energy_price: grid.entity_energy_price ?? null, number_energy_price: grid.number_energy_price ?? null }]
        : [],
    ),
    flow_to: grids.flatMap((grid) =>
      grid.stat_energy_to
        ? [{ stat_energy_to: grid.stat_energy_to, stat_compensation: grid.stat_compensation ?? null, entity_energy_price: grid.entity_energy_price_export ?? null, number_energy_price: grid.number_energy_price_export ?? null }]
        : [],
    ),
    cost_adjustment_day: grids[0].cost_adjustment_day ?? 0,
  };
  const firstGrid = sources.indexOf(grids[0]);
  return sources.flatMap((source, i) => (i === firstGrid ? [legacy] : grids.includes(source) ? [] : [source]));
}
