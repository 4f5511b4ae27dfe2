import type {
  HaAutomationConfig,
  HaConfigEntry,
  HaCoreConfig,
  HaEnergyPrefs,
  HaEntityState,
  HaHistoryState,
  HaLogbookEntry,
  HaLovelaceConfig,
  HaSceneConfig,
  HaScriptConfig,
  HaStatisticMetadata,
  HaStatisticsResult,
} from '@aether/home-assistant';
import { haSlugify } from '@aether/home-assistant';
import type { HistoryRequest } from '../history/history-request';
import { buildHistory } from '../history/history-series';
import { EntityChangeIndex } from '../history/entity-change-index';
import { buildLogbook } from '../logbook/logbook-builder';
import { LongTermStatistics } from '../statistics/long-term-statistics';
import { DailySlotCache } from '../time/daily-slot-cache';
import { formatHaTimestamp } from '../time/ha-datetime';
import { LocalCalendar } from '../time/local-calendar';
import { DAY_MS, SLOTS_PER_DAY, slotContaining } from '../time/slot-time';
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
import { HomeBattery } from './home-battery';
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
import { max, round, sin } from '../time/fast-math';
import type { ChangeCause } from './change-cause';
import { ComputedEntity } from './entities/computed.entity';
import { buildErrorLog } from './error-log';
import type { HomeModel, HomeRegistries, LogbookRequest, StatisticsRequest } from './home-model';
import { AUTOMATION_LEAD_MS, automationEntityId, automationRunMs, HOUSE_AUTOMATIONS, showsRun, HOUSE_SCENES, HOUSE_SCRIPTS, type HouseAutomation } from './house-automations';
import { buildHouseEntities, type EntityRegistration, type HouseEntity } from './house-entities';
import { buildHouseLovelace } from './house-lovelace';
import { buildConfigEntries, buildRegistries } from './house-registries';
import { HouseholdHabits } from './household-habits';

export const MAINS_ENERGY_ENTITY_ID = 'sensor.mains_energy';
export const MAINS_POWER_ENTITY_ID = 'sensor.mains_power';
export const SOLAR_ENERGY_ENTITY_ID = 'sensor.solar_energy';
export const GRID_EXPORT_ENERGY_ENTITY_ID = 'sensor.grid_export_energy';
export const BATTERY_IN_ENERGY_ENTITY_ID = 'sensor.home_battery_energy_in';
export const BATTERY_OUT_ENERGY_ENTITY_ID = 'sensor.home_battery_energy_out';

/** The device each energy consumer's meter sits in (see `house-layout.ts`). */
const CONSUMER_DEVICES: Record<string, string> = {
  heat_pump: 'heat_pump_meter',
  ev_charger: 'ev_charger_meter',
  washing_machine: 'washing_machine_plug',
  dishwasher: 'dishwasher_plug',
  tumble_dryer: 'tumble_dryer_plug',
  fridge_freezer: 'fridge_freezer_plug',
  oven: 'oven_meter',
  immersion_heater: 'immersion_heater_meter',
  tv_media: 'tv_media_plug',
  home_office: 'home_office_plug',
};

export interface DemoHouseOptions {
  site?: DemoSite;
  /** Days of history the recorder keeps back from now (HA's `purge_keep_days`, default 10 as in HA). */
  historyDays?: number;
  /**
   * Since when the heat pump meter's temperature reading is stuck (the house's planted stale
   * sensor, a fault that is going on now, like its failing integration). Default:
   * `stuckSensorSinceFor` the time the house is built.
   */
  stuckSensorSince?: Date;
}

/** How long before the house is built its stuck sensor stopped changing, by default. */
export const STUCK_SENSOR_HOURS = 50;

/** HA recorder's default `purge_keep_days`. */
export const DEFAULT_PURGE_KEEP_DAYS = 10;

const INDOOR = seedOf('living_room.temperature');
const SOLAR = seedOf('solar.energy');
const SOLAR_FLICKER = seedOf('solar.flicker');
/** 4.2 kWp of panels behind a 3.68 kW inverter. */
const SOLAR_PEAK_WATTS = 4200;
const INVERTER_LIMIT_WATTS = 3680;

/**
 * The demo home: its site, its residents' routine, its energy consumers and meters, and the HA
 * entities that expose them. Stateless apart from memoisation — every state is a function of time —
 * so one instance can serve any number of servers and requests.
 */
export class DemoHouse implements HomeModel {
  readonly site: DemoSite;
  readonly historyDays: number;
  readonly calendar: LocalCalendar;
  readonly climate: OutdoorClimate;
  readonly routine: HouseholdRoutine;
  readonly consumers: readonly EnergyConsumer[];
  readonly mainsEnergy: EnergySensorEntity;
  /** Per-consumer energy sensors, in the order of `consumers`. */
  readonly consumerEnergy: readonly EnergySensorEntity[];
  /** Solar production and grid export meters (grid import is the mains meter). */
  readonly solarEnergy: EnergySensorEntity;
  readonly gridExportEnergy: EnergySensorEntity;
  readonly batteryInEnergy: EnergySensorEntity;
  readonly batteryOutEnergy: EnergySensorEntity;
  readonly habits: HouseholdHabits;
  readonly automations: readonly HouseAutomation[] = HOUSE_AUTOMATIONS;
  readonly entities: readonly DemoEntity[];
  private readonly entitiesById: ReadonlyMap<string, DemoEntity>;
  private readonly registrations: ReadonlyArray<HouseEntity>;
  private readonly changeIndexes = new Map<string, EntityChangeIndex>();
  private readonly longTermStatistics: LongTermStatistics;
  private memoRegistries?: HomeRegistries;

  constructor(options: DemoHouseOptions = {}) {
    this.site = options.site ?? AETHER_DEMO_SITE;
    this.historyDays = options.historyDays ?? DEFAULT_PURGE_KEEP_DAYS;
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
    // The house's load in Wh: exactly what the consumers' meters count plus the untracked load.
    const load = new DailySlotCache((slot) => {
      let wh = stochasticRound(untrackedWatts.get(slot) / 12, untrackedSeed, slot);
      for (const meter of consumerMeters) wh += meter.slotWh(slot);
      return wh;
    });

    // Solar: the panels' output follows the sun's elevation and the cloud cover.
    // Kept for a year: the meters below walk every slot since commissioning.
    const solarWatts = new DailySlotCache((slot) => this.solarWatts(slot), 400);
    const solarMeter = new EnergyMeter((slot) => stochasticRound(solarWatts.get(slot) / 12, SOLAR, slot), 5_812_409);
    // A 10 kWh battery (3.3 kW) stores the panels' surplus and covers the house's deficit until it
    // reaches its 10 % reserve.
    const battery = new HomeBattery((slot) => solarMeter.slotWh(slot) - load.get(slot), { capacityWh: 10_000, reserveWh: 1_000, maxSlotWh: 275, chargeEfficiency: 0.95 }, 1_000);
    const batteryInMeter = new EnergyMeter((slot) => battery.chargedWh(slot), 1_204_311);
    const batteryOutMeter = new EnergyMeter((slot) => battery.dischargedWh(slot), 1_087_902);
    // The mains meter's two registers, as a real one counts them: what the house draws beyond the
    // panels' output and the battery is imported, the surplus the battery does not take exported.
    // So in every 5-minute slot import − export + solar + battery out − battery in = the load, HA's
    // Energy dashboard definition of home consumption.
    const mainsMeter = new EnergyMeter((slot) => max(0, load.get(slot) - solarMeter.slotWh(slot) - battery.dischargedWh(slot)), 41_862_527);
    const exportMeter = new EnergyMeter((slot) => max(0, solarMeter.slotWh(slot) - load.get(slot) - battery.chargedWh(slot)), 2_104_118);

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

    this.solarEnergy = new EnergySensorEntity(SOLAR_ENERGY_ENTITY_ID, 'Solar Production', 'mdi:solar-power', solarMeter);
    this.gridExportEnergy = new EnergySensorEntity(GRID_EXPORT_ENERGY_ENTITY_ID, 'Grid Export', 'mdi:transmission-tower-export', exportMeter);
    this.batteryInEnergy = new EnergySensorEntity(BATTERY_IN_ENERGY_ENTITY_ID, 'Home Battery Energy In', 'mdi:battery-charging', batteryInMeter);
    this.batteryOutEnergy = new EnergySensorEntity(BATTERY_OUT_ENERGY_ENTITY_ID, 'Home Battery Energy Out', 'mdi:battery-arrow-down', batteryOutMeter);
    const solarPower = new PowerSensorEntity('sensor.solar_power', 'Solar Power', 'mdi:solar-power', (slot) => solarWatts.get(slot));

    const wattsBySlug = new Map(this.consumers.map((consumer, i) => [consumer.slug, consumerWatts[i]]));
    this.habits = new HouseholdHabits(this.calendar, this.routine, this.climate);
    const registered = (entity: DemoEntity, registration: EntityRegistration | null): HouseEntity => ({ entity, registration });
    const core: HouseEntity[] = [
      registered(this.mainsEnergy, { platform: 'shelly', device: 'mains_meter' }),
      registered(mainsPower, { platform: 'shelly', device: 'mains_meter' }),
      ...this.consumerEnergy.map((entity, i) => registered(entity, { platform: 'shelly', device: CONSUMER_DEVICES[this.consumers[i].slug] ?? null })),
      ...consumerPower.map((entity, i) => registered(entity, { platform: 'shelly', device: CONSUMER_DEVICES[this.consumers[i].slug] ?? null })),
      registered(new TemperatureSensorEntity('sensor.outdoor_temperature', 'Outdoor Temperature', (slot) => this.climate.temperatureC(slot)), {
        platform: 'zha',
        device: 'outdoor_climate_sensor',
      }),
      registered(new TemperatureSensorEntity('sensor.living_room_temperature', 'Living Room Temperature', (slot) => this.indoorTemperature(slot)), {
        platform: 'zha',
        device: 'living_room_climate_sensor',
      }),
      ...(Object.keys(LIGHT_ROOMS) as LightRoom[]).map((room) => registered(new LightEntity(room, this.routine), { platform: 'hue', device: `${room}_light` })),
      registered(new PersonEntity('alex', 'Alex', this.routine), { platform: 'person', device: null }),
      registered(new PersonEntity('sam', 'Sam', this.routine), { platform: 'person', device: null }),
      registered(new SunEntity(this.climate), { platform: 'sun', device: 'sun' }),
      registered(new WeatherEntity(this.climate), { platform: 'met', device: 'forecast' }),
      registered(this.solarEnergy, { platform: 'solaredge', device: 'solar_inverter' }),
      registered(solarPower, { platform: 'solaredge', device: 'solar_inverter' }),
      registered(this.gridExportEnergy, { platform: 'shelly', device: 'mains_meter' }),
      registered(this.batteryInEnergy, { platform: 'solaredge', device: 'home_battery' }),
      registered(this.batteryOutEnergy, { platform: 'solaredge', device: 'home_battery' }),
    ];
    const rooms = buildHouseEntities({
      site: this.site,
      calendar: this.calendar,
      routine: this.routine,
      climate: this.climate,
      habits: this.habits,
      consumerWatts: (slug, slot) => wattsBySlug.get(slug)?.get(slot) ?? 0,
      indoorTemperature: (slot) => this.indoorTemperature(slot),
      livingRoomSetpoint: (slot) => this.livingRoomSetpoint(slot),
      stuckSensorSlot: slotContaining((options.stuckSensorSince ?? stuckSensorSinceFor(Date.now())).getTime()),
    });
    this.registrations = [...core, ...rooms, ...this.storedConfigEntities()];
    this.entities = this.registrations.map(({ entity }) => entity);
    this.entitiesById = new Map(this.entities.map((entity) => [entity.entityId, entity]));
    this.longTermStatistics = new LongTermStatistics(this.entities, this.calendar);
  }

  entity(entityId: string): DemoEntity | undefined {
    return this.entitiesById.get(entityId);
  }

  /** Everything the Energy dashboard counts: grid import (the mains meter) and export, solar production, then the consumers. */
  get energySensors(): readonly EnergySensorEntity[] {
    return [this.mainsEnergy, this.gridExportEnergy, this.solarEnergy, this.batteryInEnergy, this.batteryOutEnergy, ...this.consumerEnergy];
  }

  /** History is kept from this instant on (the oldest row the recorder still has). */
  recordingStart(nowMs: number): number {
    return nowMs - this.historyDays * DAY_MS;
  }

  /** The entity's state as `GET /api/states/<id>` reports it at `nowMs`. */
  stateOf(entity: DemoEntity, nowMs: number): HaEntityState {
    const slot = entity.slotShownAt(nowMs);
    const state = entity.stateForSlot(slot);
    const recordingStart = this.recordingStart(nowMs);
    const lastChangedMs = this.lastChangedMs(entity, slot, state, recordingStart);
    const lastChanged = formatHaTimestamp(lastChangedMs);
    // A state that changed by someone's hand or by an automation carries that change's context.
    const cause = lastChangedMs > recordingStart ? entity.changeCause(entity.slotShownAt(lastChangedMs), state) : null;
    const context = cause
      ? changeContext(entity.entityId, lastChangedMs, cause, this.automationEntityIds)
      : { id: haContextId(entity.entityId, entity.reportTimeOf(slot)), parent_id: null, user_id: null };
    return {
      entity_id: entity.entityId,
      state,
      attributes: entity.attributesForSlot(slot, state),
      last_changed: lastChanged,
      last_reported: formatHaTimestamp(max(entity.reportTimeOf(slot), recordingStart)),
      last_updated: lastChanged,
      context,
    };
  }

  states(nowMs: number): HaEntityState[] {
    return this.entities.map((entity) => this.stateOf(entity, nowMs));
  }

  state(entityId: string, nowMs: number): HaEntityState | undefined {
    const entity = this.entitiesById.get(entityId);
    return entity ? this.stateOf(entity, nowMs) : undefined;
  }

  history(request: HistoryRequest, nowMs: number): HaHistoryState[][] {
    return buildHistory(this, request, nowMs);
  }

  logbook(request: LogbookRequest, nowMs: number): HaLogbookEntry[] {
    return buildLogbook(this, request, nowMs);
  }

  statistics(request: StatisticsRequest, nowMs: number): HaStatisticsResult {
    return this.longTermStatistics.during(request, nowMs);
  }

  statisticIds(): HaStatisticMetadata[] {
    return this.longTermStatistics.metadata();
  }

  /** The memoised state changes of an entity (logbook, automations' last runs). */
  changesOf(entity: DemoEntity): EntityChangeIndex {
    let index = this.changeIndexes.get(entity.entityId);
    if (!index) {
      index = new EntityChangeIndex(entity);
      this.changeIndexes.set(entity.entityId, index);
    }
    return index;
  }

  /** `automation.<object id>` by the automation keys change causes use. */
  get automationEntityIds(): ReadonlyMap<string, { entityId: string; alias: string }> {
    return AUTOMATION_ENTITIES;
  }

  registries(): HomeRegistries {
    this.memoRegistries ??= buildRegistries(this.registrations);
    return structuredClone(this.memoRegistries);
  }

  configEntries(): HaConfigEntry[] {
    return buildConfigEntries();
  }

  errorLog(nowMs: number): string {
    return buildErrorLog(nowMs, this.calendar, this.habits);
  }

  automationConfigs(): HaAutomationConfig[] {
    return structuredClone(this.automations.map((automation) => automation.config));
  }

  scriptConfigs(): Record<string, HaScriptConfig> {
    return structuredClone({ ...HOUSE_SCRIPTS });
  }

  sceneConfigs(): HaSceneConfig[] {
    return structuredClone([...HOUSE_SCENES]);
  }

  lovelace(): HaLovelaceConfig | null {
    return buildHouseLovelace(this.registries());
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

  /**
   * What `energy/get_prefs` returns, as the newest HA (energy store minor version 3) stores it (the server can serve HA's legacy
   * shape instead): the mains meter (import) and the export meter as one grid connection, the panels
   * as solar, the home battery, each consumer as a device.
   */
  energyPrefs(): HaEnergyPrefs {
    return {
      energy_sources: [
        {
          type: 'grid',
          stat_energy_from: this.mainsEnergy.entityId,
          stat_energy_to: this.gridExportEnergy.entityId,
          stat_cost: null,
          entity_energy_price: null,
          number_energy_price: 0.3516,
          stat_compensation: null,
          entity_energy_price_export: null,
          number_energy_price_export: null,
          cost_adjustment_day: 0,
        },
        { type: 'solar', stat_energy_from: this.solarEnergy.entityId, config_entry_solar_forecast: null },
        // HA's battery source: `from` is what the battery gives the home, `to` what it takes.
        { type: 'battery', stat_energy_from: this.batteryOutEnergy.entityId, stat_energy_to: this.batteryInEnergy.entityId },
      ],
      device_consumption: this.consumerEnergy.map((sensor) => ({ stat_consumption: sensor.entityId })),
      device_consumption_water: [],
    };
  }

  /** Comfortable by day, set back at night, a little cooler when it is bitter outside. */
  private indoorTemperature(slot: number): number {
    const setpoint = this.livingRoomSetpoint(slot);
    const outdoor = this.climate.temperatureC(slot);
    return setpoint - 0.04 * max(0, 8 - outdoor) + 0.25 * smoothNoise(INDOOR, slot / 9);
  }

  /** The heat pump thermostat's schedule. */
  private livingRoomSetpoint(slot: number): number {
    const minute = this.calendar.at(slot).minuteOfDay;
    return minute < 330 ? 18.6 : minute < 480 ? 19.8 : minute < 1020 ? 20.6 : minute < 1380 ? 21.0 : 19.4;
  }

  /** Panel output (W): the sun's height, thinned by cloud, with a little flicker, capped by the inverter. */
  private solarWatts(slot: number): number {
    const elevation = this.climate.sunElevation(slot);
    if (elevation <= 0) return 0;
    const clear = SOLAR_PEAK_WATTS * 0.84 * sin((elevation * Math.PI) / 180);
    const cloud = this.climate.cloudiness(slot);
    const watts = clear * (1 - 0.75 * cloud) * (0.92 + 0.08 * smoothNoise(SOLAR_FLICKER, slot / 2));
    return watts < 5 ? 0 : Math.min(INVERTER_LIMIT_WATTS, watts);
  }

  /** Automation, script and scene entities for the stored configs, with their last runs. */
  private storedConfigEntities(): HouseEntity[] {
    const automations = this.automations.map((automation) => {
      const entityId = automationEntityId(automation.config);
      return {
        entity: new ComputedEntity({
          entityId,
          state: () => 'on',
          attributes: (slot) => {
            const last = this.lastTriggeredMs(automation, (this.entitiesById.get(entityId) ?? this.mainsEnergy).reportTimeOf(slot));
            return {
              id: automation.config.id,
              last_triggered: last === null ? null : formatHaTimestamp(last),
              mode: automation.config.mode ?? 'single',
              current: 0,
              ...(automation.config.mode === 'queued' || automation.config.mode === 'parallel' ? { max: 10 } : {}),
              friendly_name: automation.config.alias,
            };
          },
        }),
        registration: { platform: 'automation', device: null },
      };
    });
    const scripts = Object.entries(HOUSE_SCRIPTS).map(([objectId, script]) => ({
      entity: new ComputedEntity({
        entityId: `script.${objectId}`,
        state: () => 'off',
        attributes: () => ({ last_triggered: null, mode: script.mode ?? 'single', current: 0, ...(script['icon'] ? { icon: script['icon'] } : {}), friendly_name: script.alias ?? objectId }),
      }),
      registration: { platform: 'script', device: null },
    }));
    const scenes = HOUSE_SCENES.map((scene) => ({
      entity: new ComputedEntity({
        entityId: `scene.${haSlugify(scene.name)}`,
        state: () => 'unknown',
        attributes: () => ({ entity_id: Object.keys(scene.entities), id: scene.id, ...(scene.icon ? { icon: scene.icon } : {}), friendly_name: scene.name }),
      }),
      registration: { platform: 'homeassistant', device: null },
    }));
    return [...automations, ...scripts, ...scenes];
  }

  /** When the automation last ran at or before `atMs` (null: not within the recorder's reach). */
  lastTriggeredMs(automation: HouseAutomation, atMs: number): number | null {
    let latest: number | null = null;
    for (const evidence of automation.evidence) {
      const entity = this.entitiesById.get(evidence.entityId);
      if (!entity) continue;
      const index = this.changesOf(entity);
      const lastSlot = entity.slotShownAt(atMs);
      const change = index.latest(lastSlot, (c) => showsRun(automation.key, evidence, c, entity.changeCause(c.slot, c.state)), evidence.kind === 'caused' ? 45 : 400);
      if (change) latest = max(latest ?? 0, automationRunMs(evidence, entity.reportTimeOf(change.slot)));
    }
    return latest;
  }

  /** When the current state began (bounded by the start of recorded history, like HA after a restart). */
  private lastChangedMs(entity: DemoEntity, slot: number, _state: string, floorMs: number): number {
    const floorSlot = entity.slotShownAt(floorMs);
    const change = this.changesOf(entity).latest(slot, (c) => c.slot > floorSlot, Math.ceil((slot - floorSlot) / SLOTS_PER_DAY) + 1);
    return change && change.slot > floorSlot ? entity.reportTimeOf(change.slot) : floorMs;
  }
}


const AUTOMATION_ENTITIES: ReadonlyMap<string, { entityId: string; alias: string }> = new Map(
  HOUSE_AUTOMATIONS.map((automation) => [automation.key, { entityId: automationEntityId(automation.config), alias: automation.config.alias }]),
);

/** The context HA stores with a change: the user's own, or the automation run's (shared by everything that run changed). */
export function changeContext(
  entityId: string,
  changeMs: number,
  cause: ChangeCause,
  automations: ReadonlyMap<string, { entityId: string; alias: string }>,
): { id: string; parent_id: string | null; user_id: string | null } {
  if (cause.kind === 'user') return { id: haContextId(entityId, changeMs), parent_id: null, user_id: cause.userId };
  const automation = automations.get(cause.automationId);
  return { id: haContextId(automation?.entityId ?? entityId, changeMs - AUTOMATION_LEAD_MS), parent_id: null, user_id: null };
}

const shared = new Map<number, DemoHouse>();

/**
 * The default demo house for a clock reading, shared so its memoised meter readings are computed
 * once per process (one house per day its stuck sensor may have stopped on, see `stuckSensorSinceFor`).
 */
export function sharedDemoHouse(nowMs: number = Date.now()): DemoHouse {
  const since = stuckSensorSinceFor(nowMs);
  let house = shared.get(since.getTime());
  if (!house) {
    house = new DemoHouse({ stuckSensorSince: since });
    shared.set(since.getTime(), house);
  }
  return house;
}

/**
 * When the stuck sensor of a house started at `nowMs` stopped changing: the midnight (UTC) at least
 * `STUCK_SENSOR_HOURS` before, so it has been stuck for 50–74 hours — past the diagnostic's 24 h —
 * and every house built the same day is the same house.
 */
export function stuckSensorSinceFor(nowMs: number): Date {
  return new Date(Math.floor((nowMs - STUCK_SENSOR_HOURS * 3_600_000) / DAY_MS) * DAY_MS);
}
