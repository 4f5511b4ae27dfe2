import type { HaCoreConfig, HaEnergyPrefs, HaEntityState } from '@aether/home-assistant';
import { DailySlotCache } from '../time/daily-slot-cache';
import { formatHaTimestamp } from '../time/ha-datetime';
import { LocalCalendar } from '../time/local-calendar';
import { DAY_MS, SLOTS_PER_DAY } from '../time/slot-time';
import { DishwasherConsumer } from './consumers/dishwasher.consumer';
import type { EnergyConsumer } from './consumers/energy-consumer';
import { EvChargerConsumer } from './consumers/ev-charger.consumer';
import { FridgeFreezerConsumer } from './consumers/fridge-freezer.consumer';
import { HeatPumpConsumer } from './consumers/heat-pump.consumer';
import { HomeOfficeConsumer } from './consumers/home-office.consumer';
import { ImmersionHeaterConsumer } from './consumers/immersion-heater.consumer';
import { OvenConsumer } from './consumers/oven.consumer';
import { TumbleDryerConsumer } from './consumers/tumble-dryer.consumer';
import { TvMediaConsumer } from './consumers/tv-media.consumer';
import { UntrackedLoad } from './consumers/untracked-load';
import { WashingMachineConsumer } from './consumers/washing-machine.consumer';
import { seedOf, smoothNoise, stochasticRound } from './deterministic-random';
import { AETHER_DEMO_SITE, DEMO_HA_VERSION, type DemoSite } from './demo-site';
import { EnergyMeter } from './energy-meter';
import type { DemoEntity } from './entities/demo-entity';
import { EnergySensorEntity } from './entities/energy-sensor.entity';
import { LightEntity } from './entities/light.entity';
import { PersonEntity } from './entities/person.entity';
import { PowerSensorEntity } from './entities/power-sensor.entity';
import { SunEntity } from './entities/sun.entity';
import { TemperatureSensorEntity } from './entities/temperature-sensor.entity';
import { WeatherEntity } from './entities/weather.entity';
import { haContextId } from './ha-context-id';
import { HouseholdRoutine, LIGHT_ROOMS, type LightRoom } from './household-routine';
import { OutdoorClimate } from './outdoor-climate';
import { max, round } from '../time/fast-math';

export const MAINS_ENERGY_ENTITY_ID = 'sensor.mains_energy';
export const MAINS_POWER_ENTITY_ID = 'sensor.mains_power';

export interface DemoHouseOptions {
  site?: DemoSite;
  /** Days of history the recorder keeps back from now (HA's `purge_keep_days`). */
  historyDays?: number;
}

const INDOOR = seedOf('living_room.temperature');

/**
 * The demo home: its site, its residents' routine, its energy consumers and meters, and the HA
 * entities that expose them. Stateless apart from memoisation — every state is a function of time —
 * so one instance can serve any number of servers and requests.
 */
export class DemoHouse {
  readonly site: DemoSite;
  readonly historyDays: number;
  readonly calendar: LocalCalendar;
  readonly climate: OutdoorClimate;
  readonly routine: HouseholdRoutine;
  readonly consumers: readonly EnergyConsumer[];
  readonly mainsEnergy: EnergySensorEntity;
  /** Per-consumer energy sensors, in the order of `consumers`. */
  readonly consumerEnergy: readonly EnergySensorEntity[];
  readonly entities: readonly DemoEntity[];
  private readonly entitiesById: ReadonlyMap<string, DemoEntity>;

  constructor(options: DemoHouseOptions = {}) {
    this.site = options.site ?? AETHER_DEMO_SITE;
    this.historyDays = options.historyDays ?? 30;
    this.calendar = new LocalCalendar(this.site.timeZone);
    this.climate = new OutdoorClimate(this.site, this.calendar);
    this.routine = new HouseholdRoutine(this.calendar, this.climate);

    const washingMachine = new WashingMachineConsumer(this.calendar);
    this.consumers = [
      new HeatPumpConsumer(this.calendar, this.climate),
      new EvChargerConsumer(this.calendar),
      washingMachine,
      new DishwasherConsumer(this.calendar),
      new TumbleDryerConsumer(this.calendar, washingMachine),
      new FridgeFreezerConsumer(this.calendar),
      new OvenConsumer(this.calendar),
      new ImmersionHeaterConsumer(this.calendar),
      new TvMediaConsumer(this.calendar),
      new HomeOfficeConsumer(this.routine),
    ];
    // Each load's power is computed once per slot and shared by its power sensor, its meter and the mains.
    const consumerWatts = this.consumers.map((consumer) => new DailySlotCache((slot) => consumer.wattsDuring(slot)));
    const untracked = new UntrackedLoad(this.routine);
    const untrackedWatts = new DailySlotCache((slot) => untracked.wattsDuring(slot));

    const consumerMeters = this.consumers.map((consumer, i) => {
      const seed = seedOf(`${consumer.slug}.energy`);
      // W over a 5-minute slot = W / 12 Wh, rounded to whole Wh without bias.
      return new EnergyMeter((slot) => stochasticRound(consumerWatts[i].get(slot) / 12, seed, slot), round(consumer.initialReadingKwh * 1000));
    });
    const untrackedSeed = seedOf('untracked.energy');
    // The mains meter counts exactly what the consumers' meters count plus the untracked load, so it never reads less than their sum.
    const mainsMeter = new EnergyMeter((slot) => {
      let wh = stochasticRound(untrackedWatts.get(slot) / 12, untrackedSeed, slot);
      for (const meter of consumerMeters) wh += meter.slotWh(slot);
      return wh;
    }, 41_862_527);

    this.mainsEnergy = new EnergySensorEntity(MAINS_ENERGY_ENTITY_ID, 'Mains Energy Meter', 'mdi:transmission-tower', mainsMeter);
    this.consumerEnergy = this.consumers.map(
      (consumer, i) => new EnergySensorEntity(`sensor.${consumer.slug}_energy`, `${consumer.name} Energy`, consumer.icon, consumerMeters[i]),
    );
    const mainsPower = new PowerSensorEntity(MAINS_POWER_ENTITY_ID, 'Mains Power', 'mdi:transmission-tower', (slot) =>
      consumerWatts.reduce((sum, watts) => sum + watts.get(slot), untrackedWatts.get(slot)),
    );
    const consumerPower = this.consumers.map(
      (consumer, i) => new PowerSensorEntity(`sensor.${consumer.slug}_power`, `${consumer.name} Power`, consumer.icon, (slot) => consumerWatts[i].get(slot)),
    );

    this.entities = [
      this.mainsEnergy,
      mainsPower,
      ...this.consumerEnergy,
      ...consumerPower,
      new TemperatureSensorEntity('sensor.outdoor_temperature', 'Outdoor Temperature', (slot) => this.climate.temperatureC(slot)),
      new TemperatureSensorEntity('sensor.living_room_temperature', 'Living Room Temperature', (slot) => this.indoorTemperature(slot)),
      ...(Object.keys(LIGHT_ROOMS) as LightRoom[]).map((room) => new LightEntity(room, this.routine)),
      new PersonEntity('alex', 'Alex', this.routine),
      new PersonEntity('sam', 'Sam', this.routine),
      new SunEntity(this.climate),
      new WeatherEntity(this.climate),
    ];
    this.entitiesById = new Map(this.entities.map((entity) => [entity.entityId, entity]));
  }

  entity(entityId: string): DemoEntity | undefined {
    return this.entitiesById.get(entityId);
  }

  /** Everything the Energy dashboard counts: the mains meter first, then the consumers. */
  get energySensors(): readonly EnergySensorEntity[] {
    return [this.mainsEnergy, ...this.consumerEnergy];
  }

  /** History is kept from this instant on (the oldest row the recorder still has). */
  recordingStart(nowMs: number): number {
    return nowMs - this.historyDays * DAY_MS;
  }

  /** The entity's state as `GET /api/states/<id>` reports it at `nowMs`. */
  stateOf(entity: DemoEntity, nowMs: number): HaEntityState {
    const slot = entity.slotShownAt(nowMs);
    const state = entity.stateForSlot(slot);
    const lastChanged = formatHaTimestamp(this.lastChangedMs(entity, slot, state, this.recordingStart(nowMs)));
    return {
      entity_id: entity.entityId,
      state,
      attributes: entity.attributesForSlot(slot, state),
      last_changed: lastChanged,
      last_reported: formatHaTimestamp(max(entity.reportTimeOf(slot), this.recordingStart(nowMs))),
      last_updated: lastChanged,
      context: { id: haContextId(entity.entityId, entity.reportTimeOf(slot)), parent_id: null, user_id: null },
    };
  }

  states(nowMs: number): HaEntityState[] {
    return this.entities.map((entity) => this.stateOf(entity, nowMs));
  }

  coreConfig(): HaCoreConfig & Record<string, unknown> {
    return {
      allowlist_external_dirs: ['/config/www', '/media'],
      allowlist_external_urls: [],
      components: ['api', 'default_config', 'energy', 'history', 'http', 'light', 'logbook', 'person', 'recorder', 'sensor', 'sun', 'weather', 'websocket_api'],
      config_dir: '/config',
      config_source: 'storage',
      country: this.site.country,
      currency: this.site.currency,
      debug: false,
      elevation: this.site.elevation,
      external_url: null,
      internal_url: null,
      language: this.site.language,
      latitude: this.site.latitude,
      location_name: this.site.locationName,
      longitude: this.site.longitude,
      radius: 100,
      recovery_mode: false,
      safe_mode: false,
      state: 'RUNNING',
      time_zone: this.site.timeZone,
      unit_system: {
        length: 'km',
        accumulated_precipitation: 'mm',
        area: 'm²',
        mass: 'g',
        pressure: 'Pa',
        temperature: '°C',
        volume: 'L',
        wind_speed: 'm/s',
      },
      version: DEMO_HA_VERSION,
      whitelist_external_dirs: ['/config/www', '/media'],
    };
  }

  /** What `energy/get_prefs` returns: the mains meter as the grid source, each consumer as a device. */
  energyPrefs(): HaEnergyPrefs {
    return {
      energy_sources: [
        {
          type: 'grid',
          flow_from: [{ stat_energy_from: this.mainsEnergy.entityId, stat_cost: null, entity_energy_price: null, number_energy_price: 0.3516 }],
          flow_to: [],
          cost_adjustment_day: 0,
        },
      ],
      device_consumption: this.consumerEnergy.map((sensor) => ({ stat_consumption: sensor.entityId })),
      device_consumption_water: [],
    };
  }

  /** Comfortable by day, set back at night, a little cooler when it is bitter outside. */
  private indoorTemperature(slot: number): number {
    const minute = this.calendar.at(slot).minuteOfDay;
    const setpoint = minute < 330 ? 18.6 : minute < 480 ? 19.8 : minute < 1020 ? 20.6 : minute < 1380 ? 21.0 : 19.4;
    const outdoor = this.climate.temperatureC(slot);
    return setpoint - 0.04 * max(0, 8 - outdoor) + 0.25 * smoothNoise(INDOOR, slot / 9);
  }

  /** When the current state began (bounded by the start of recorded history, like HA after a restart). */
  private lastChangedMs(entity: DemoEntity, slot: number, state: string, floorMs: number): number {
    const floorSlot = entity.slotShownAt(floorMs);
    let high = slot;
    while (high > floorSlot) {
      const low = max(floorSlot, high - SLOTS_PER_DAY);
      const states = entity.statesForSlots(low, high);
      for (let i = states.length - 1; i > 0; i--) {
        if (states[i - 1] !== state) return entity.reportTimeOf(low + i);
      }
      high = low;
    }
    return floorMs;
  }
}

let shared: DemoHouse | undefined;

/** The default demo house, shared so its memoised meter readings are computed once per process. */
export function sharedDemoHouse(): DemoHouse {
  shared ??= new DemoHouse();
  return shared;
}
