/** One energy-metered load in the house (it gets `sensor.<slug>_energy` and `sensor.<slug>_power`). */
export interface EnergyConsumer {
  /** Entity id stem, e.g. `heat_pump` → `sensor.heat_pump_energy`. */
  readonly slug: string;
  /** Friendly name stem, e.g. `Heat Pump` → "Heat Pump Energy". */
  readonly name: string;
  readonly icon: string;
  /** Meter reading when the demo meters were commissioned (the model's reference epoch). */
  readonly initialReadingKwh: number;
  /** Mean electrical power (W) during the 5-minute slot; a pure function of the slot. */
  wattsDuring(slot: number): number;
}
