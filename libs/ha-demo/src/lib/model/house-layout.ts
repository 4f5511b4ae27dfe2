/**
 * The physical house as HA's registries describe it: two floors, the rooms on them, the
 * integrations (config entries) and the devices they provide, each in a room. Entities name their
 * device by key (see `house-entities.ts`); registry ids are derived from these keys.
 */

export interface FloorSpec {
  id: string;
  name: string;
  level: number;
  icon: string;
}

export interface AreaSpec {
  id: string;
  name: string;
  floor: string;
  icon: string;
  aliases?: string[];
  temperature?: string;
  humidity?: string;
}

export interface IntegrationSpec {
  /** Key of the config entry (several entries may share a domain). */
  key: string;
  domain: string;
  title: string;
  source: 'user' | 'zeroconf' | 'dhcp' | 'import' | 'system' | 'bluetooth';
  /** Only the failing integration is not `loaded`. */
  state?: 'setup_retry' | 'setup_error';
  reason?: string;
}

export interface DeviceSpec {
  key: string;
  name: string;
  manufacturer: string;
  model: string;
  modelId?: string;
  swVersion?: string;
  area: string | null;
  integration: string;
  /** A hub this device talks through (Zigbee coordinator, Hue bridge). */
  via?: string;
  entryType?: 'service';
}

export const FLOORS: readonly FloorSpec[] = [
  { id: 'ground_floor', name: 'Ground Floor', level: 0, icon: 'mdi:home-floor-0' },
  { id: 'first_floor', name: 'First Floor', level: 1, icon: 'mdi:home-floor-1' },
];

export const AREAS: readonly AreaSpec[] = [
  { id: 'living_room', name: 'Living Room', floor: 'ground_floor', icon: 'mdi:sofa', aliases: ['lounge'], temperature: 'sensor.living_room_temperature', humidity: 'sensor.living_room_humidity' },
  { id: 'kitchen', name: 'Kitchen', floor: 'ground_floor', icon: 'mdi:stove', temperature: 'sensor.kitchen_temperature', humidity: 'sensor.kitchen_humidity' },
  { id: 'dining_room', name: 'Dining Room', floor: 'ground_floor', icon: 'mdi:table-chair' },
  { id: 'hallway', name: 'Hallway', floor: 'ground_floor', icon: 'mdi:door', aliases: ['hall'], temperature: 'sensor.hallway_temperature' },
  { id: 'utility_room', name: 'Utility Room', floor: 'ground_floor', icon: 'mdi:washing-machine' },
  { id: 'garage', name: 'Garage', floor: 'ground_floor', icon: 'mdi:garage', temperature: 'sensor.garage_temperature', humidity: 'sensor.garage_humidity' },
  { id: 'garden', name: 'Garden', floor: 'ground_floor', icon: 'mdi:flower', aliases: ['porch', 'outside'] },
  { id: 'bedroom', name: 'Bedroom', floor: 'first_floor', icon: 'mdi:bed-king', aliases: ['master bedroom'], temperature: 'sensor.bedroom_temperature', humidity: 'sensor.bedroom_humidity' },
  { id: 'office', name: 'Office', floor: 'first_floor', icon: 'mdi:desk', aliases: ['study'], temperature: 'sensor.office_temperature' },
  { id: 'bathroom', name: 'Bathroom', floor: 'first_floor', icon: 'mdi:shower', temperature: 'sensor.bathroom_temperature', humidity: 'sensor.bathroom_humidity' },
  { id: 'landing', name: 'Landing', floor: 'first_floor', icon: 'mdi:stairs' },
];

/** The integration that fails to load: its cloud login times out, so HA keeps retrying in the background. */
export const FAILING_INTEGRATION = 'roborock';

export const INTEGRATIONS: readonly IntegrationSpec[] = [
  { key: 'sun', domain: 'sun', title: 'Sun', source: 'import' },
  { key: 'met', domain: 'met', title: 'Home', source: 'user' },
  { key: 'hue', domain: 'hue', title: 'Hue Bridge', source: 'zeroconf' },
  { key: 'zha', domain: 'zha', title: 'SkyConnect Zigbee', source: 'user' },
  { key: 'shelly_pro_3em', domain: 'shelly', title: 'Mains Meter', source: 'zeroconf' },
  { key: 'shelly_plugs', domain: 'shelly', title: 'Appliance Plugs', source: 'zeroconf' },
  { key: 'shelly_relays', domain: 'shelly', title: 'Relays', source: 'zeroconf' },
  { key: 'solaredge', domain: 'solaredge', title: 'SolarEdge', source: 'user' },
  { key: 'tado', domain: 'tado', title: 'Tado', source: 'user' },
  { key: 'nuki', domain: 'nuki', title: 'Nuki Bridge', source: 'dhcp' },
  { key: 'cast', domain: 'cast', title: 'Google Cast', source: 'zeroconf' },
  { key: 'mobile_app_alex', domain: 'mobile_app', title: "Alex's Pixel 8", source: 'user' },
  { key: 'mobile_app_sam', domain: 'mobile_app', title: "Sam's iPhone", source: 'user' },
  { key: 'radio_browser', domain: 'radio_browser', title: 'Radio Browser', source: 'system' },
  { key: 'backup', domain: 'backup', title: 'Backup', source: 'system' },
  { key: FAILING_INTEGRATION, domain: 'roborock', title: 'sam@example.ie', source: 'user', state: 'setup_retry', reason: 'Timeout while connecting to the Roborock cloud' },
];

const ZIGBEE = 'zigbee_coordinator';
const HUE = 'hue_bridge';
const aqaraTemp = (key: string, name: string, area: string): DeviceSpec => ({
  key, name, manufacturer: 'LUMI', model: 'Aqara temperature and humidity sensor', modelId: 'lumi.weather', area, integration: 'zha', via: ZIGBEE,
});
const aqaraMotion = (key: string, name: string, area: string): DeviceSpec => ({
  key, name, manufacturer: 'LUMI', model: 'Aqara motion sensor P1', modelId: 'lumi.motion.ac02', area, integration: 'zha', via: ZIGBEE,
});
const aqaraDoor = (key: string, name: string, area: string): DeviceSpec => ({
  key, name, manufacturer: 'LUMI', model: 'Aqara door & window sensor', modelId: 'lumi.sensor_magnet.aq2', area, integration: 'zha', via: ZIGBEE,
});
const hueBulb = (key: string, name: string, area: string, model = 'Hue white ambiance A19'): DeviceSpec => ({
  key, name, manufacturer: 'Signify Netherlands B.V.', model, swVersion: '1.122.2', area, integration: 'hue', via: HUE,
});
const shellyPlug = (key: string, name: string, area: string): DeviceSpec => ({
  key, name, manufacturer: 'Shelly', model: 'Shelly Plus Plug S', modelId: 'SNPL-00112EU', swVersion: '1.4.4', area, integration: 'shelly_plugs',
});
const shellyMeter = (key: string, name: string, area: string): DeviceSpec => ({
  key, name, manufacturer: 'Shelly', model: 'Shelly Pro EM-50', modelId: 'SPEM-002CEBEU50', swVersion: '1.4.4', area, integration: 'shelly_relays',
});

export const DEVICES: readonly DeviceSpec[] = [
  { key: 'sun', name: 'Sun', manufacturer: 'Home Assistant', model: 'Sun', area: null, integration: 'sun', entryType: 'service' },
  { key: 'forecast', name: 'Forecast', manufacturer: 'Met.no', model: 'Forecast', area: null, integration: 'met', entryType: 'service' },
  { key: ZIGBEE, name: 'Home Assistant SkyConnect', manufacturer: 'Nabu Casa', model: 'SkyConnect v1.0', swVersion: '7.4.4', area: 'utility_room', integration: 'zha' },
  { key: HUE, name: 'Hue Bridge', manufacturer: 'Signify Netherlands B.V.', model: 'Hue Bridge', modelId: 'BSB002', swVersion: '1.66.1966060010', area: 'hallway', integration: 'hue' },
  { key: 'mains_meter', name: 'Mains Meter', manufacturer: 'Shelly', model: 'Shelly Pro 3EM', modelId: 'SPEM-003CEBEU', swVersion: '1.4.4', area: 'utility_room', integration: 'shelly_pro_3em' },
  // Energy-metered appliances (their meters are what the Energy dashboard counts).
  shellyMeter('heat_pump_meter', 'Heat Pump', 'utility_room'),
  shellyMeter('ev_charger_meter', 'EV Charger', 'garage'),
  shellyPlug('washing_machine_plug', 'Washing Machine Plug', 'utility_room'),
  shellyPlug('dishwasher_plug', 'Dishwasher Plug', 'kitchen'),
  shellyPlug('tumble_dryer_plug', 'Tumble Dryer Plug', 'utility_room'),
  shellyPlug('fridge_freezer_plug', 'Fridge Freezer Plug', 'kitchen'),
  shellyMeter('oven_meter', 'Oven', 'kitchen'),
  shellyMeter('immersion_heater_meter', 'Immersion Heater', 'utility_room'),
  shellyPlug('tv_media_plug', 'TV Plug', 'living_room'),
  shellyPlug('home_office_plug', 'Desk Plug', 'office'),
  shellyPlug('office_heater_plug', 'Office Heater Plug', 'office'),
  shellyPlug('coffee_machine_plug', 'Coffee Machine Plug', 'kitchen'),
  shellyPlug('dehumidifier_plug', 'Dehumidifier Plug', 'utility_room'),
  { key: 'garden_relay', name: 'Garden Lights Relay', manufacturer: 'Shelly', model: 'Shelly Plus 1', modelId: 'SNSW-001X16EU', swVersion: '1.4.4', area: 'garden', integration: 'shelly_relays' },
  { key: 'garage_door_relay', name: 'Garage Door', manufacturer: 'Shelly', model: 'Shelly Plus 2PM', modelId: 'SNSW-102P16EU', swVersion: '1.4.4', area: 'garage', integration: 'shelly_relays' },
  { key: 'solar_inverter', name: 'SolarEdge Inverter', manufacturer: 'SolarEdge', model: 'SE3680H', area: 'garage', integration: 'solaredge' },
  { key: 'home_battery', name: 'SolarEdge Home Battery', manufacturer: 'SolarEdge', model: 'BAT-10K1P', area: 'garage', integration: 'solaredge' },
  // Lights.
  hueBulb('living_room_light', 'Living Room Ceiling', 'living_room'),
  hueBulb('kitchen_light', 'Kitchen Spots', 'kitchen', 'Hue white ambiance GU10'),
  hueBulb('bedroom_light', 'Bedroom Lamp', 'bedroom'),
  hueBulb('dining_room_light', 'Dining Pendant', 'dining_room', 'Hue White and Color Ambiance A60'),
  hueBulb('hallway_light', 'Hallway Ceiling', 'hallway'),
  hueBulb('landing_light', 'Landing Ceiling', 'landing'),
  hueBulb('office_light', 'Office Desk Lamp', 'office', 'Hue Go'),
  hueBulb('bathroom_light', 'Bathroom Spots', 'bathroom', 'Hue white ambiance GU10'),
  hueBulb('porch_light', 'Porch Lantern', 'garden', 'Hue Lily outdoor spot'),
  // Climate sensors.
  aqaraTemp('living_room_climate_sensor', 'Living Room Sensor', 'living_room'),
  aqaraTemp('kitchen_climate_sensor', 'Kitchen Sensor', 'kitchen'),
  aqaraTemp('bedroom_climate_sensor', 'Bedroom Sensor', 'bedroom'),
  aqaraTemp('bathroom_climate_sensor', 'Bathroom Sensor', 'bathroom'),
  aqaraTemp('office_climate_sensor', 'Office Sensor', 'office'),
  aqaraTemp('hallway_climate_sensor', 'Hallway Sensor', 'hallway'),
  aqaraTemp('garage_climate_sensor', 'Garage Sensor', 'garage'),
  aqaraTemp('outdoor_climate_sensor', 'Outdoor Sensor', 'garden'),
  // Motion and door sensors.
  aqaraMotion('hallway_motion_sensor', 'Hallway Motion', 'hallway'),
  aqaraMotion('kitchen_motion_sensor', 'Kitchen Motion', 'kitchen'),
  aqaraMotion('living_room_motion_sensor', 'Living Room Motion', 'living_room'),
  aqaraMotion('landing_motion_sensor', 'Landing Motion', 'landing'),
  aqaraMotion('office_motion_sensor', 'Office Motion', 'office'),
  aqaraMotion('garden_motion_sensor', 'Garden Motion', 'garden'),
  aqaraDoor('front_door_sensor', 'Front Door Contact', 'hallway'),
  aqaraDoor('back_door_sensor', 'Back Door Contact', 'kitchen'),
  aqaraDoor('garage_door_sensor', 'Garage Door Contact', 'garage'),
  // Covers.
  { key: 'living_room_blinds', name: 'Living Room Blinds', manufacturer: 'IKEA of Sweden', model: 'FYRTUR block-out roller blind', modelId: 'FYRTUR block-out roller blind', area: 'living_room', integration: 'zha', via: ZIGBEE },
  { key: 'bedroom_blinds', name: 'Bedroom Blinds', manufacturer: 'IKEA of Sweden', model: 'FYRTUR block-out roller blind', modelId: 'FYRTUR block-out roller blind', area: 'bedroom', integration: 'zha', via: ZIGBEE },
  // Heating.
  { key: 'tado_thermostat', name: 'Living Room Thermostat', manufacturer: 'tado', model: 'Smart Thermostat V3+', swVersion: '98.1', area: 'living_room', integration: 'tado' },
  { key: 'tado_bedroom_trv', name: 'Bedroom Radiator', manufacturer: 'tado', model: 'Smart Radiator Thermostat V3+', swVersion: '98.1', area: 'bedroom', integration: 'tado' },
  // Locks.
  { key: 'front_door_lock', name: 'Front Door Lock', manufacturer: 'Nuki Home Solutions GmbH', model: 'Nuki Smart Lock 4.0', swVersion: '4.2.8', area: 'hallway', integration: 'nuki' },
  { key: 'back_door_lock', name: 'Back Door Lock', manufacturer: 'Nuki Home Solutions GmbH', model: 'Nuki Smart Lock 3.0 Pro', swVersion: '3.8.4', area: 'kitchen', integration: 'nuki' },
  // Media.
  { key: 'living_room_tv', name: 'Living Room TV', manufacturer: 'Google Inc.', model: 'Chromecast with Google TV', area: 'living_room', integration: 'cast' },
  { key: 'kitchen_speaker', name: 'Kitchen Speaker', manufacturer: 'Google Inc.', model: 'Google Nest Audio', area: 'kitchen', integration: 'cast' },
  { key: 'bedroom_speaker', name: 'Bedroom Speaker', manufacturer: 'Google Inc.', model: 'Google Nest Mini', area: 'bedroom', integration: 'cast' },
  // Phones.
  { key: 'alex_phone', name: "Alex's Pixel 8", manufacturer: 'Google', model: 'Pixel 8', swVersion: '15', area: null, integration: 'mobile_app_alex' },
  { key: 'sam_phone', name: "Sam's iPhone", manufacturer: 'Apple', model: 'iPhone15,4', swVersion: '18.1', area: null, integration: 'mobile_app_sam' },
  // The robot vacuum of the failing integration (its entities are restored as unavailable).
  { key: 'robot_vacuum', name: 'Roborock S8', manufacturer: 'Roborock', model: 'roborock.vacuum.a51', area: 'hallway', integration: FAILING_INTEGRATION },
];
