import { DAY_MS } from '../time/slot-time';
import { DemoHouse, sharedDemoHouse } from './demo-house';
import { FAILING_INTEGRATION } from './house-layout';

/** A Sunday afternoon in late November (Europe/Dublin = UTC). */
const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const house = sharedDemoHouse();
const domainOf = (entityId: string) => entityId.slice(0, entityId.indexOf('.'));

describe('DemoHouse as a HomeModel', () => {
  const states = house.states(NOW);
  const ids = states.map((s) => s.entity_id);

  it('has 80–150 entities across the domains a lived-in home has', () => {
    expect(states.length).toBeGreaterThanOrEqual(80);
    expect(states.length).toBeLessThanOrEqual(150);
    expect(new Set(ids).size).toBe(ids.length);
    const domains = new Set(ids.map(domainOf));
    for (const domain of ['light', 'switch', 'sensor', 'binary_sensor', 'climate', 'cover', 'lock', 'media_player', 'person', 'weather', 'sun', 'input_number', 'input_text', 'automation', 'script', 'scene']) {
      expect(domains).toContain(domain);
    }
    const deviceClasses = new Set(states.map((s) => `${domainOf(s.entity_id)}:${String(s.attributes['device_class'])}`));
    for (const kind of ['sensor:temperature', 'sensor:humidity', 'sensor:power', 'sensor:energy', 'sensor:battery', 'binary_sensor:motion', 'binary_sensor:door']) {
      expect(deviceClasses).toContain(kind);
    }
  });

  it('keeps the energy entities and exposes the electricity tariff in helpers', () => {
    expect(ids).toEqual(expect.arrayContaining(['sensor.mains_energy', 'sensor.mains_power', 'sensor.heat_pump_energy', 'sensor.solar_energy', 'sensor.grid_export_energy']));
    const rate = (id: string) => Number(house.state(id, NOW)?.state);
    expect(rate('input_number.electricity_rate_night')).toBeLessThan(rate('input_number.electricity_rate_day'));
    expect(rate('input_number.electricity_rate_day')).toBeLessThan(rate('input_number.electricity_rate_peak'));
    expect(house.state('input_text.electricity_plan_name', NOW)?.state).toMatch(/\w/);
  });

  it('state(id) agrees with states() and is undefined for an unknown entity', () => {
    expect(house.state('light.porch', NOW)).toEqual(states.find((s) => s.entity_id === 'light.porch'));
    expect(house.state('light.nowhere', NOW)).toBeUndefined();
  });

  it('energy prefs: grid import (mains) and export as one unified grid connection, solar production, and every consumer as a device', () => {
    const prefs = house.energyPrefs();
    const grids = prefs.energy_sources.filter((s) => s.type === 'grid');
    expect(grids).toEqual([expect.objectContaining({ stat_energy_from: 'sensor.mains_energy', stat_energy_to: 'sensor.grid_export_energy', number_energy_price: 0.3516, cost_adjustment_day: 0 })]);
    expect(grids[0]).not.toHaveProperty('flow_from');
    expect(prefs.energy_sources.find((s) => s.type === 'solar')?.stat_energy_from).toBe('sensor.solar_energy');
    expect(prefs.device_consumption.map((d) => d.stat_consumption)).toEqual(house.consumerEnergy.map((s) => s.entityId));
    // The panels produce in daylight only.
    const solarPower = house.entity('sensor.solar_power');
    if (!solarPower) throw new Error('no solar power');
    const midnight = Math.floor(NOW / DAY_MS) * DAY_MS;
    expect(Number(house.state('sensor.solar_power', midnight + 2 * 3_600_000)?.state)).toBe(0);
    expect(Number(house.state('sensor.solar_power', midnight + 12 * 3_600_000 + 5 * 60_000)?.state)).toBeGreaterThan(0);
  });

  describe('registries', () => {
    const { entities, devices, areas, floors } = house.registries();

    it('has 2 floors and 8+ areas, each area on a floor', () => {
      expect(floors.map((f) => f.floor_id).sort()).toEqual(['first_floor', 'ground_floor']);
      expect(areas.length).toBeGreaterThanOrEqual(8);
      for (const area of areas) expect(floors.map((f) => f.floor_id)).toContain(area.floor_id);
      for (const floor of floors) expect(areas.some((a) => a.floor_id === floor.floor_id)).toBe(true);
    });

    it('registers every entity in states except zone.home; devices, areas and config entries exist', () => {
      const registered = new Set(entities.map((e) => e.entity_id));
      expect(ids.filter((id) => !registered.has(id))).toEqual(['zone.home']);
      for (const id of registered) expect(ids).toContain(id);
      const deviceIds = new Set(devices.map((d) => d.id));
      const areaIds = new Set(areas.map((a) => a.area_id));
      const entryIds = new Set(house.configEntries().map((e) => e.entry_id));
      for (const entry of entities) {
        if (entry.device_id) expect(deviceIds).toContain(entry.device_id);
        if (entry.area_id) expect(areaIds).toContain(entry.area_id);
        if (entry.config_entry_id) expect(entryIds).toContain(entry.config_entry_id);
        expect(entry.id).toMatch(/^[0-9a-f]{32}$/);
      }
      for (const device of devices) {
        if (device.area_id) expect(areaIds).toContain(device.area_id);
        if (device.via_device_id) expect(deviceIds).toContain(device.via_device_id);
        for (const entry of device.config_entries) expect(entryIds).toContain(entry);
        expect(device.manufacturer).toBeTruthy();
        expect(device.model).toBeTruthy();
      }
      // Physical things sit in rooms: every light, lock, cover and climate entity resolves to an area.
      const deviceArea = new Map(devices.map((d) => [d.id, d.area_id]));
      for (const entry of entities.filter((e) => ['light', 'lock', 'cover', 'climate', 'binary_sensor'].includes(domainOf(e.entity_id)))) {
        expect(entry.area_id ?? deviceArea.get(entry.device_id ?? '')).toBeTruthy();
      }
    });

    it("areas' temperature and humidity sensors are entities of the house", () => {
      for (const area of areas) {
        for (const id of [area.temperature_entity_id, area.humidity_entity_id]) if (id) expect(ids).toContain(id);
      }
    });
  });

  it('has one integration that fails to load, and the error log says why', () => {
    const entries = house.configEntries();
    expect(entries.length).toBeGreaterThanOrEqual(10);
    const failing = entries.filter((e) => e.state !== 'loaded');
    expect(failing.map((e) => e.domain)).toEqual([FAILING_INTEGRATION]);
    expect(failing[0].state).toBe('setup_retry');
    expect(failing[0].reason).toBeTruthy();
    // Its entity is restored as unavailable.
    expect(house.state('vacuum.roborock_s8', NOW)?.state).toBe('unavailable');

    const log = house.errorLog(NOW);
    const lines = log.trimEnd().split('\n');
    expect(lines.some((l) => / ERROR .*roborock/.test(l))).toBe(true);
    expect(lines.some((l) => /WARNING .*\[homeassistant\.config_entries\].*roborock.*not ready yet/.test(l))).toBe(true);
    expect(lines.some((l) => / WARNING /.test(l) && !/roborock/.test(l))).toBe(true);
    // HA's format, in local time, in order, and nothing after now.
    const times = lines.map((l) => {
      const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) (WARNING|ERROR|INFO) \([\w-]+\) \[[\w.]+\] \S/.exec(l);
      if (!match) throw new Error(`bad log line: ${l}`);
      return Date.parse(`${match[1]}T${match[2]}Z`);
    });
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(times[times.length - 1]).toBeLessThanOrEqual(NOW);
    expect(NOW - times[0]).toBeLessThanOrEqual(8 * DAY_MS);
    // Anchored to now: an hour later the log has grown, not changed its past.
    const later = house.errorLog(NOW + 3_600_000);
    expect(later.startsWith(log)).toBe(true);
  });

  it('stores 5–8 automations in HA key order, each with its automation entity', () => {
    const automations = house.automationConfigs();
    expect(automations.length).toBeGreaterThanOrEqual(5);
    expect(automations.length).toBeLessThanOrEqual(8);
    for (const automation of automations) {
      // A blueprint-based automation stores the blueprint's path and inputs instead of triggers and actions.
      expect(Object.keys(automation)).toEqual(automation.use_blueprint ? ['id', 'alias', 'description', 'use_blueprint'] : ['id', 'alias', 'description', 'triggers', 'conditions', 'actions', 'mode']);
      const entity = states.find((s) => s.entity_id.startsWith('automation.') && s.attributes['id'] === automation.id);
      expect(entity?.state).toBe('on');
      expect(entity?.attributes['friendly_name']).toBe(automation.alias);
      const last = entity?.attributes['last_triggered'];
      if (last !== null) expect(Date.parse(String(last))).toBeLessThanOrEqual(NOW);
    }
    // The daily ones ran within the last day.
    const blinds = house.state('automation.close_blinds_at_sunset', NOW);
    expect(NOW - Date.parse(String(blinds?.attributes['last_triggered']))).toBeLessThan(DAY_MS);
    // The blueprint-based one runs whenever Sam leaves home, as its blueprint's state trigger would (NOW is a Sunday: Friday at the latest).
    const leaving = automations.find((automation) => automation.use_blueprint);
    expect(leaving?.use_blueprint).toEqual({ path: 'homeassistant/notify_leaving_zone.yaml', input: expect.objectContaining({ person_entity: 'person.sam', zone_entity: 'zone.home' }) });
    const leavingEntity = states.find((s) => s.entity_id === 'automation.tell_alex_when_sam_leaves_home');
    expect(leavingEntity?.attributes).toMatchObject({ id: leaving?.id, mode: 'single' });
    expect(NOW - Date.parse(String(leavingEntity?.attributes['last_triggered']))).toBeLessThan(3 * DAY_MS);
    // Returned configs are copies: editing one does not change the house.
    automations[0].alias = 'changed';
    expect(house.automationConfigs()[0].alias).not.toBe('changed');
  });

  it('stores scripts and scenes with their entities, and a default dashboard naming real entities', () => {
    const scripts = house.scriptConfigs();
    expect(Object.keys(scripts).length).toBeGreaterThanOrEqual(2);
    for (const objectId of Object.keys(scripts)) expect(ids).toContain(`script.${objectId}`);
    // One is made from a script blueprint: no sequence of its own.
    expect(scripts['confirm_heating_off']).toEqual({ alias: 'Ask before switching the office heater off', use_blueprint: { path: 'homeassistant/confirmable_notification.yaml', input: expect.objectContaining({ message: expect.any(String) }) } });
    expect(scripts['confirm_heating_off']).not.toHaveProperty('sequence');
    const scenes = house.sceneConfigs();
    expect(scenes.length).toBeGreaterThanOrEqual(2);
    for (const scene of scenes) {
      const entity = states.find((s) => s.entity_id.startsWith('scene.') && s.attributes['id'] === scene.id);
      expect(entity?.attributes['friendly_name']).toBe(scene.name);
      for (const target of Object.keys(scene.entities)) expect(ids).toContain(target);
    }
    const dashboard = house.lovelace();
    expect(dashboard?.views?.length).toBeGreaterThanOrEqual(2);
    const named = JSON.stringify(dashboard).match(/"entity":"[a-z_]+\.[a-z0-9_]+"/g) ?? [];
    expect(named.length).toBeGreaterThan(20);
    for (const match of named) expect(ids).toContain(match.slice(10, -1));
  });

  it('is deterministic: another instance answers the same for the same now', () => {
    const other = new DemoHouse();
    expect(other.states(NOW)).toEqual(states);
    expect(other.registries()).toEqual(house.registries());
    expect(other.configEntries()).toEqual(house.configEntries());
    expect(other.errorLog(NOW)).toBe(house.errorLog(NOW));
    expect(other.logbook({ startMs: NOW - DAY_MS, endMs: NOW }, NOW)).toEqual(house.logbook({ startMs: NOW - DAY_MS, endMs: NOW }, NOW));
  });

  it('a manual change carries the user in its state context', () => {
    const porch = house.logbook({ startMs: NOW - 7 * DAY_MS, endMs: NOW, entityIds: ['light.porch'] }, NOW);
    const lastOn = porch.filter((e) => e.state === 'on').pop();
    expect(lastOn?.context_user_id).toMatch(/^[0-9a-f]{32}$/);
    const state = house.state('light.porch', Date.parse(String(lastOn?.when)) + 60_000);
    expect(state?.state).toBe('on');
    expect(state?.context?.user_id).toBe(lastOn?.context_user_id);
  });

  it('states() stays cheap once the house is warm', () => {
    house.states(NOW + 60_000);
    const started = performance.now();
    for (let i = 0; i < 5; i++) house.states(NOW + (i + 2) * 60_000);
    expect((performance.now() - started) / 5).toBeLessThan(150);
  });
});
