import type { HaEnergyPrefs } from '@aether/home-assistant';
import { energyPrefsInShape } from './energy-prefs-shape';
import { DemoHouse } from './demo-house';

const unified: HaEnergyPrefs = {
  energy_sources: [
    {
      type: 'grid',
      stat_energy_from: 'sensor.import_a',
      stat_energy_to: 'sensor.export_a',
      stat_cost: null,
      entity_energy_price: 'sensor.price',
      number_energy_price: null,
      stat_compensation: null,
      entity_energy_price_export: null,
      number_energy_price_export: 0.08,
      cost_adjustment_day: 0.5,
    },
    { type: 'wind', stat_energy_from: 'sensor.wind_energy', config_entry_wind_forecast: null },
    {
      type: 'grid',
      stat_energy_from: 'sensor.import_b',
      stat_energy_to: null,
      stat_cost: null,
      entity_energy_price: null,
      number_energy_price: 0.3,
      stat_compensation: null,
      entity_energy_price_export: null,
      number_energy_price_export: null,
      cost_adjustment_day: 0.5,
    },
  ],
  device_consumption: [{ stat_consumption: 'sensor.fridge_energy' }],
  device_consumption_water: [],
};

describe('energyPrefsInShape', () => {
  it('folds unified grid connections into one legacy grid source where the first stood, prices moved to their flows', () => {
    const legacy = energyPrefsInShape(unified, 'legacy');
    expect(legacy.energy_sources).toEqual([
      {
        type: 'grid',
        flow_from: [
          { stat_energy_from: 'sensor.import_a', stat_cost: null, entity_energy_price: 'sensor.price', number_energy_price: null },
          { stat_energy_from: 'sensor.import_b', stat_cost: null, entity_energy_price: null, number_energy_price: 0.3 },
        ],
        flow_to: [{ stat_energy_to: 'sensor.export_a', stat_compensation: null, entity_energy_price: null, number_energy_price: 0.08 }],
        cost_adjustment_day: 0.5,
      },
      unified.energy_sources[1],
    ]);
    expect(legacy.device_consumption).toBe(unified.device_consumption);
  });

  it('migrates legacy back as HA does (flow_from[i] with flow_to[i]), so the demo house round-trips', () => {
    // Legacy has one grid source: the connections come back together, where the first stood.
    expect(energyPrefsInShape(energyPrefsInShape(unified, 'legacy'), 'unified').energy_sources).toEqual([
      unified.energy_sources[0],
      unified.energy_sources[2],
      unified.energy_sources[1],
    ]);
    const house = new DemoHouse({ historyDays: 2 });
    expect(energyPrefsInShape(house.energyPrefs(), 'unified')).toEqual(house.energyPrefs());
    expect(energyPrefsInShape(energyPrefsInShape(house.energyPrefs(), 'legacy'), 'unified')).toEqual(house.energyPrefs());
  });

  it('leaves preferences without a grid alone', () => {
    const solarOnly: HaEnergyPrefs = { energy_sources: [{ type: 'solar', stat_energy_from: 'sensor.pv' }], device_consumption: [] };
    expect(energyPrefsInShape(solarOnly, 'legacy')).toEqual(solarOnly);
    expect(energyPrefsInShape(solarOnly, 'unified')).toEqual(solarOnly);
  });
});
