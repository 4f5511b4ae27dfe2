import { DAY_MS, SLOT_MS, SLOTS_PER_DAY, slotContaining } from '../time/slot-time';
import { DemoHouse, MAINS_ENERGY_ENTITY_ID, sharedDemoHouse } from './demo-house';
import { demoEnergyUsageKwh } from './energy-usage';
import type { EnergySensorEntity } from './entities/energy-sensor.entity';

/** A fixed instant (a Sunday afternoon in late November) so these tests see the same house every run. */
const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const house = sharedDemoHouse();
const DAYS = 30;
/** Local midnights (Europe/Dublin = UTC in November) of the 30 full days before NOW. */
const dayStarts = Array.from({ length: DAYS }, (_, i) => Math.floor(NOW / DAY_MS) * DAY_MS - (DAYS - i) * DAY_MS);

function sensor(slug: string): EnergySensorEntity {
  const found = house.consumerEnergy.find((s) => s.entityId === `sensor.${slug}_energy`);
  if (!found) throw new Error(`no ${slug}`);
  return found;
}

/** kWh a sensor's meter counts per local hour of day, summed over the test days. */
function kwhByLocalHour(meter: EnergySensorEntity): number[] {
  const byHour = new Array(24).fill(0);
  const first = slotContaining(dayStarts[0]);
  for (let slot = first; slot < first + DAYS * SLOTS_PER_DAY; slot++) {
    byHour[Math.floor(house.calendar.at(slot).minuteOfDay / 60)] += meter.meter.slotWh(slot) / 1000;
  }
  return byHour;
}

function dailyKwh(meter: EnergySensorEntity): number[] {
  return dayStarts.map((start) => demoEnergyUsageKwh({ start: new Date(start), end: new Date(start + DAY_MS) }, house)[meter.entityId]);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('DemoHouse', () => {
  it('has a mains meter and at least 8 energy-metered consumers with HA energy-sensor attributes', () => {
    expect(house.mainsEnergy.entityId).toBe(MAINS_ENERGY_ENTITY_ID);
    expect(house.consumerEnergy.length).toBeGreaterThanOrEqual(8);
    for (const energy of house.energySensors) {
      const state = house.stateOf(energy, NOW);
      expect(state.attributes).toMatchObject({ device_class: 'energy', unit_of_measurement: 'kWh', state_class: 'total_increasing' });
      expect(state.state).toMatch(/^\d+(\.\d{1,3})?$/);
    }
    expect(house.stateOf(house.mainsEnergy, NOW).attributes['friendly_name']).toBe('Mains Energy Meter');
    for (const consumer of house.consumers) {
      expect(house.entity(`sensor.${consumer.slug}_power`)).toBeDefined();
    }
  });

  it('is a pure function of time: a second instance reports the same states', () => {
    const other = new DemoHouse();
    expect(other.states(NOW)).toEqual(house.states(NOW));
    expect(other.states(NOW - 7 * DAY_MS)).toEqual(house.states(NOW - 7 * DAY_MS));
  });

  it('reports a state for every entity with last_changed ≤ last_reported ≤ now', () => {
    for (const state of house.states(NOW)) {
      const changed = Date.parse(state.last_changed);
      expect(changed).toBeLessThanOrEqual(Date.parse(state.last_reported ?? ''));
      expect(Date.parse(state.last_reported ?? '')).toBeLessThanOrEqual(NOW);
      expect(changed).toBeGreaterThanOrEqual(house.recordingStart(NOW));
      expect(state.context?.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    }
  });

  it('meters only ever count up (total_increasing); in November the battery takes all the surplus, so only the export meter stands still', () => {
    const first = slotContaining(NOW - DAYS * DAY_MS);
    for (const energy of house.energySensors) {
      const readings = energy.meter.readingsBetween(first, slotContaining(NOW));
      const decreases = readings.filter((reading, i) => i > 0 && reading < readings[i - 1]);
      expect(decreases).toEqual([]);
      if (energy === house.gridExportEnergy) expect(readings[readings.length - 1]).toBeGreaterThanOrEqual(readings[0]);
      else expect(readings[readings.length - 1]).toBeGreaterThan(readings[0]);
    }
  });

  it('home consumption as HA counts it (grid import − export + solar + battery out − battery in) is more than the consumers together (baseload, lights, kettle) on every day', () => {
    const imported = dailyKwh(house.mainsEnergy);
    const exported = dailyKwh(house.gridExportEnergy);
    const solar = dailyKwh(house.solarEnergy);
    const batteryOut = dailyKwh(house.batteryOutEnergy);
    const batteryIn = dailyKwh(house.batteryInEnergy);
    const consumers = house.consumerEnergy.map(dailyKwh);
    imported.forEach((importDay, day) => {
      const home = importDay - exported[day] + solar[day] + batteryOut[day] - batteryIn[day];
      const consumersDay = sum(consumers.map((c) => c[day]));
      expect(home).toBeGreaterThan(consumersDay + 2); // > 2 kWh untracked: ~100 W baseload alone is 2.4 kWh
      expect(home).toBeLessThan(consumersDay + 8);
    });
  });

  it.each([
    ['November', dayStarts[0]],
    ['June', Date.UTC(2026, 5, 1)],
  ])('in %s: imports only what the panels and the battery do not cover, exports only the surplus the battery does not take; the battery charges from surplus only and discharges into a deficit only', (_month, start) => {
    let both = 0;
    let exportedWh = 0;
    let chargedWh = 0;
    let dischargedWh = 0;
    let gridIntoBattery = 0;
    const first = Math.floor(start / 300_000);
    for (let slot = first; slot < first + DAYS * 288; slot++) {
      const imported = house.mainsEnergy.meter.slotWh(slot);
      const exported = house.gridExportEnergy.meter.slotWh(slot);
      const charged = house.batteryInEnergy.meter.slotWh(slot);
      const discharged = house.batteryOutEnergy.meter.slotWh(slot);
      if (imported > 0 && exported > 0) both += 1;
      if (charged > 0 && (imported > 0 || discharged > 0)) gridIntoBattery += 1;
      exportedWh += exported;
      chargedWh += charged;
      dischargedWh += discharged;
    }
    expect(both).toBe(0);
    expect(gridIntoBattery).toBe(0);
    expect(chargedWh).toBeGreaterThan(0);
    expect(dischargedWh).toBeGreaterThan(0);
    // In summer the battery fills on sunny days and the rest of the surplus goes to the grid.
    if (_month === 'June') expect(exportedWh).toBeGreaterThan(0);
  });

  it('the heat pump works hardest at night and in the morning, and more on colder days', () => {
    const byHour = kwhByLocalHour(sensor('heat_pump'));
    const nightAndMorning = sum(byHour.slice(0, 8)) / 8;
    const daytime = sum(byHour.slice(9, 16)) / 7;
    expect(nightAndMorning).toBeGreaterThan(1.2 * daytime);

    const temperatures = dayStarts.map((start) => {
      const first = slotContaining(start);
      let total = 0;
      for (let slot = first; slot < first + SLOTS_PER_DAY; slot++) total += house.climate.temperatureC(slot);
      return total / SLOTS_PER_DAY;
    });
    expect(correlation(temperatures, dailyKwh(sensor('heat_pump')))).toBeLessThan(-0.5);
  });

  it('the EV charges overnight, on some nights only', () => {
    const byHour = kwhByLocalHour(sensor('ev_charger'));
    const overnight = sum([...byHour.slice(0, 8), ...byHour.slice(22)]);
    expect(overnight / sum(byHour)).toBeGreaterThan(0.95);
    const sessions = dailyKwh(sensor('ev_charger'));
    expect(sessions.filter((kwh) => kwh > 5).length).toBeGreaterThanOrEqual(5);
    expect(sessions.filter((kwh) => kwh < 0.5).length).toBeGreaterThanOrEqual(5);
  });

  it('the washing machine runs in bursts on some days; the tumble dryer follows it', () => {
    const washing = dailyKwh(sensor('washing_machine'));
    expect(washing.filter((kwh) => kwh > 0.4).length).toBeGreaterThanOrEqual(5);
    expect(washing.filter((kwh) => kwh < 0.05).length).toBeGreaterThanOrEqual(5);
    const drying = dailyKwh(sensor('tumble_dryer'));
    // A late second load can push drying past midnight, into the next day.
    drying.forEach((kwh, day) => {
      if (kwh > 0.5 && day > 0) expect(washing[day] + washing[day - 1]).toBeGreaterThan(0.4);
    });
    expect(drying.filter((kwh) => kwh > 0.5).length).toBeGreaterThanOrEqual(3);
  });

  it('the fridge-freezer is steady day to day but cycles its compressor within the hour', () => {
    for (const kwh of dailyKwh(sensor('fridge_freezer'))) {
      expect(kwh).toBeGreaterThan(0.7);
      expect(kwh).toBeLessThan(1.5);
    }
    const power = house.entity('sensor.fridge_freezer_power');
    if (!power) throw new Error('no fridge power sensor');
    const watts = power.statesForSlots(slotContaining(NOW) - 24, slotContaining(NOW)).map(Number);
    expect(Math.max(...watts)).toBeGreaterThan(60);
    expect(Math.min(...watts)).toBeLessThan(20);
  });

  it('the oven is used around dinner, the dishwasher after it', () => {
    const oven = kwhByLocalHour(sensor('oven'));
    expect(sum(oven.slice(17, 20)) / sum(oven)).toBeGreaterThan(0.6);
    const dishwasher = kwhByLocalHour(sensor('dishwasher'));
    expect(sum([...dishwasher.slice(20), dishwasher[0]]) / sum(dishwasher)).toBeGreaterThan(0.9);
  });

  it('energy usage over a window is additive: daily windows sum to the whole', () => {
    const whole = demoEnergyUsageKwh({ start: new Date(dayStarts[0]), end: new Date(dayStarts[0] + DAYS * DAY_MS) }, house);
    for (const energy of house.energySensors) {
      expect(sum(dailyKwh(energy))).toBeCloseTo(whole[energy.entityId], 6);
    }
    expect(whole[MAINS_ENERGY_ENTITY_ID]).toBeGreaterThan(DAYS * 15);
    expect(whole[MAINS_ENERGY_ENTITY_ID]).toBeLessThan(DAYS * 70);
  });

  it('energy usage equals the change of the reported meter state over the window', () => {
    const start = NOW - 3 * DAY_MS - 17 * 60_000;
    const end = NOW - 2 * DAY_MS + 29 * 60_000;
    const usage = demoEnergyUsageKwh({ start: new Date(start), end: new Date(end) }, house);
    for (const energy of house.energySensors) {
      const first = Number(house.stateOf(energy, start).state);
      const last = Number(house.stateOf(energy, end - 1).state);
      expect(usage[energy.entityId]).toBeCloseTo(last - first, 9);
    }
  });

  it('reports each slot a few seconds after it ends, never exactly on a slot boundary', () => {
    for (const entity of house.entities) {
      expect(entity.reportDelayMs % SLOT_MS).toBeGreaterThan(0);
      expect(entity.reportDelayMs).toBeLessThan(60_000);
    }
  });
});

function correlation(xs: number[], ys: number[]): number {
  const mx = sum(xs) / xs.length;
  const my = sum(ys) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
