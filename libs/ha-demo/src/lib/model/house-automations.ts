import { haSlugify, type HaAutomationConfig, type HaSceneConfig, type HaScriptConfig } from '@aether/home-assistant';
import { LOW_BATTERY_THRESHOLD } from './house-entities';
import { deviceId } from './house-registries';

/**
 * What shows that an automation ran: a change of `entityId` it made (the change's cause names the
 * automation), or — for automations whose action changes nothing in states (a notification) — a
 * change that matches its trigger.
 */
export type AutomationEvidence =
  /** `state`: only changes to this state start a run (a restart-mode automation also makes the change that ends it). */
  | { entityId: string; kind: 'caused'; state?: string }
  | { entityId: string; kind: 'numeric_below'; below: number; source: string }
  /** A change away from `state` (a person leaving a zone) starts a run. */
  | { entityId: string; kind: 'left'; state: string; source: string };

export interface HouseAutomation {
  /** The key change causes use (`ChangeCause.automationId`). */
  key: string;
  /** As stored: its own triggers and actions, or (`use_blueprint`) a blueprint's path and inputs. */
  config: HaAutomationConfig & { id: string; alias: string };
  evidence: AutomationEvidence[];
}

/** An automation runs a moment before the change its action makes. */
export const AUTOMATION_LEAD_MS = 184;

/** Whether a change of the evidence entity (made for `cause`) shows a run of the automation `key`. */
export function showsRun(
  key: string,
  evidence: AutomationEvidence,
  change: { state: string; previous: string },
  cause: { kind: string; automationId?: string } | null,
): boolean {
  if (evidence.kind === 'numeric_below') return Number(change.state) < evidence.below && !(Number(change.previous) < evidence.below);
  if (evidence.kind === 'left') return change.previous === evidence.state && change.state !== evidence.state;
  return cause?.kind === 'automation' && cause.automationId === key && (evidence.state === undefined || evidence.state === change.state);
}

/** When the run shown by a change of the evidence entity happened. */
export function automationRunMs(evidence: AutomationEvidence, changeMs: number): number {
  return evidence.kind === 'caused' ? changeMs - AUTOMATION_LEAD_MS : changeMs;
}

const WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The automations stored in `automations.yaml`, in HA's key order (id, alias, description, triggers, conditions, actions, mode). */
export const HOUSE_AUTOMATIONS: readonly HouseAutomation[] = [
  {
    key: 'morning_blinds',
    config: {
      id: '1716212045123',
      alias: 'Open blinds in the morning',
      description: 'Opens the living room and bedroom blinds at 07:30 on workdays and 08:45 at weekends.',
      triggers: [
        { trigger: 'time', at: '07:30:00', id: 'workday' },
        { trigger: 'time', at: '08:45:00', id: 'weekend' },
      ],
      conditions: [
        {
          condition: 'or',
          conditions: [
            { condition: 'and', conditions: [{ condition: 'trigger', id: 'workday' }, { condition: 'time', weekday: WORKDAYS }] },
            { condition: 'and', conditions: [{ condition: 'trigger', id: 'weekend' }, { condition: 'time', weekday: ['sat', 'sun'] }] },
          ],
        },
      ],
      actions: [{ action: 'cover.open_cover', metadata: {}, data: {}, target: { entity_id: ['cover.living_room_blinds', 'cover.bedroom_blinds'] } }],
      mode: 'single',
    },
    evidence: [{ entityId: 'cover.living_room_blinds', kind: 'caused' }],
  },
  {
    key: 'sunset_blinds',
    config: {
      id: '1716212187456',
      alias: 'Close blinds at sunset',
      description: '',
      triggers: [{ trigger: 'sun', event: 'sunset', offset: '0' }],
      conditions: [],
      actions: [{ action: 'cover.close_cover', metadata: {}, data: {}, target: { entity_id: ['cover.living_room_blinds', 'cover.bedroom_blinds'] } }],
      mode: 'single',
    },
    evidence: [{ entityId: 'cover.living_room_blinds', kind: 'caused' }],
  },
  {
    key: 'garden_lights_dusk',
    config: {
      id: '1718034412987',
      alias: 'Garden lights at dusk',
      description: 'Garden lights from sunset until 23:30.',
      triggers: [
        { trigger: 'sun', event: 'sunset', offset: '0', id: 'dusk' },
        { trigger: 'time', at: '23:30:00', id: 'late' },
      ],
      conditions: [],
      actions: [
        {
          choose: [{ conditions: [{ condition: 'trigger', id: 'dusk' }], sequence: [{ action: 'switch.turn_on', metadata: {}, data: {}, target: { entity_id: 'switch.garden_lights' } }] }],
          default: [{ action: 'switch.turn_off', metadata: {}, data: {}, target: { entity_id: 'switch.garden_lights' } }],
        },
      ],
      mode: 'single',
    },
    evidence: [{ entityId: 'switch.garden_lights', kind: 'caused' }],
  },
  {
    key: 'hallway_motion_light',
    config: {
      id: '1719502276310',
      alias: 'Hallway light on motion',
      description: 'Lights the hallway while there is motion after dark.',
      triggers: [{ trigger: 'state', entity_id: ['binary_sensor.hallway_motion'], from: 'off', to: 'on' }],
      conditions: [{ condition: 'numeric_state', entity_id: 'sun.sun', attribute: 'elevation', below: 3 }],
      actions: [
        { action: 'light.turn_on', metadata: {}, data: { brightness_pct: 65 }, target: { entity_id: 'light.hallway' } },
        { wait_for_trigger: [{ trigger: 'state', entity_id: ['binary_sensor.hallway_motion'], to: 'off', for: { minutes: 2 } }] },
        { action: 'light.turn_off', metadata: {}, data: {}, target: { entity_id: 'light.hallway' } },
      ],
      mode: 'restart',
    },
    evidence: [{ entityId: 'light.hallway', kind: 'caused', state: 'on' }],
  },
  {
    key: 'lock_up_at_night',
    config: {
      id: '1721145533004',
      alias: 'Lock up at night',
      description: '',
      triggers: [{ trigger: 'time', at: '23:30:00' }],
      conditions: [],
      actions: [{ action: 'lock.lock', metadata: {}, data: {}, target: { entity_id: ['lock.front_door', 'lock.back_door'] } }],
      mode: 'single',
    },
    evidence: [{ entityId: 'lock.front_door', kind: 'caused' }],
  },
  {
    key: 'lock_when_everyone_leaves',
    config: {
      id: '1721145610771',
      alias: 'Lock the door when everyone leaves',
      description: 'Locks the front door and tells Sam when the last person leaves.',
      triggers: [{ trigger: 'state', entity_id: ['zone.home'], to: '0', for: { minutes: 2 } }],
      conditions: [{ condition: 'state', entity_id: 'input_boolean.guest_mode', state: 'off' }],
      actions: [
        { action: 'lock.lock', metadata: {}, data: {}, target: { entity_id: 'lock.front_door' } },
        { action: 'notify.mobile_app_sam_s_iphone', metadata: {}, data: { message: 'Everyone left — front door locked.' } },
      ],
      mode: 'single',
    },
    evidence: [{ entityId: 'lock.front_door', kind: 'caused' }],
  },
  {
    key: 'low_battery_alert',
    config: {
      id: '1730901187220',
      alias: 'Low battery alert',
      description: '',
      triggers: [{ trigger: 'numeric_state', entity_id: ['sensor.hallway_motion_battery'], below: LOW_BATTERY_THRESHOLD }],
      conditions: [],
      actions: [{ action: 'notify.mobile_app_sam_s_iphone', metadata: {}, data: { title: 'Low battery', message: '{{ trigger.to_state.name }} is at {{ trigger.to_state.state }}%' } }],
      mode: 'queued',
    },
    evidence: [{ entityId: 'sensor.hallway_motion_battery', kind: 'numeric_below', below: LOW_BATTERY_THRESHOLD, source: 'numeric state of sensor.hallway_motion_battery' }],
  },
  {
    // Made from the blueprint HA ships: HA stores only its path and inputs (no triggers or actions).
    key: 'sam_leaves_home',
    config: {
      id: '1731488301562',
      alias: 'Tell Alex when Sam leaves home',
      description: '',
      use_blueprint: {
        path: 'homeassistant/notify_leaving_zone.yaml',
        input: { person_entity: 'person.sam', zone_entity: 'zone.home', notify_device: deviceId('alex_phone') },
      },
    },
    evidence: [{ entityId: 'person.sam', kind: 'left', state: 'home', source: 'state of person.sam' }],
  },
];

/** `automation.<object id>` for an automation's config id. */
export function automationEntityId(config: HaAutomationConfig): string {
  return `automation.${haSlugify(String(config.alias))}`;
}


export const HOUSE_SCRIPTS: Readonly<Record<string, HaScriptConfig>> = {
  goodnight: {
    alias: 'Goodnight',
    description: 'Lights off downstairs, doors locked, bedroom warmed up.',
    mode: 'single',
    icon: 'mdi:weather-night',
    sequence: [
      { action: 'light.turn_off', metadata: {}, data: {}, target: { area_id: ['living_room', 'kitchen', 'dining_room', 'hallway'] } },
      { action: 'lock.lock', metadata: {}, data: {}, target: { entity_id: ['lock.front_door', 'lock.back_door'] } },
      { action: 'climate.set_temperature', metadata: {}, data: { temperature: 18.5 }, target: { entity_id: 'climate.bedroom' } },
    ],
  },
  movie_night: {
    alias: 'Movie night',
    description: '',
    mode: 'single',
    icon: 'mdi:movie-open',
    sequence: [
      { action: 'scene.turn_on', metadata: {}, data: {}, target: { entity_id: 'scene.movie_night' } },
      { action: 'cover.close_cover', metadata: {}, data: {}, target: { entity_id: 'cover.living_room_blinds' } },
      { action: 'media_player.turn_on', metadata: {}, data: {}, target: { entity_id: 'media_player.living_room_tv' } },
    ],
  },
  // Made from the script blueprint HA ships: only its path and inputs are stored (no sequence).
  confirm_heating_off: {
    alias: 'Ask before switching the office heater off',
    use_blueprint: {
      path: 'homeassistant/confirmable_notification.yaml',
      input: {
        notify_device: deviceId('sam_phone'),
        title: 'Office heater',
        message: 'The office heater is still on. Switch it off?',
        confirm_text: 'Switch off',
        dismiss_text: 'Leave on',
        confirm_action: [{ action: 'switch.turn_off', metadata: {}, data: {}, target: { entity_id: 'switch.office_heater' } }],
        dismiss_action: [],
      },
    },
  },
  leave_home: {
    alias: 'Leave home',
    description: 'Everything off when we go out.',
    mode: 'single',
    icon: 'mdi:exit-run',
    fields: {},
    sequence: [
      { action: 'light.turn_off', metadata: {}, data: {}, target: { entity_id: 'all' } },
      { action: 'switch.turn_off', metadata: {}, data: {}, target: { entity_id: ['switch.office_heater', 'switch.coffee_machine'] } },
      { action: 'lock.lock', metadata: {}, data: {}, target: { entity_id: 'lock.front_door' } },
    ],
  },
};

export const HOUSE_SCENES: readonly HaSceneConfig[] = [
  {
    id: '1717340012345',
    name: 'Movie night',
    icon: 'mdi:movie-open',
    entities: {
      'light.living_room': { state: 'on', brightness: 40 },
      'light.dining_room': { state: 'off' },
      'light.kitchen': { state: 'off' },
    },
  },
  {
    id: '1717340098765',
    name: 'Dinner',
    icon: 'mdi:silverware-fork-knife',
    entities: {
      'light.dining_room': { state: 'on', brightness: 200, color_temp_kelvin: 2700 },
      'light.kitchen': { state: 'on', brightness: 255 },
      'light.living_room': { state: 'on', brightness: 120 },
    },
  },
  {
    id: '1717340155501',
    name: 'Relax',
    icon: 'mdi:sofa',
    entities: {
      'light.living_room': { state: 'on', brightness: 90 },
      'media_player.living_room_tv': { state: 'off' },
    },
  },
];
