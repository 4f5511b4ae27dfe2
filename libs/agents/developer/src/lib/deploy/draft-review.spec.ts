import type { ProposalDraft } from '@aether/core';
import type { HaEntityState, HaServiceDomain } from '@aether/home-assistant';
import { referencesOf, reviewDraft, type LiveHome } from './draft-review';

function state(entity_id: string, attributes: Record<string, unknown> = {}): HaEntityState {
  return { entity_id, state: 'on', attributes, last_changed: '', last_updated: '', context: { id: 'x', parent_id: null, user_id: null } };
}
const service = { fields: {} };
const services: HaServiceDomain[] = [
  { domain: 'light', services: { turn_on: service, turn_off: service } },
  { domain: 'lock', services: { lock: service, unlock: service } },
  { domain: 'cover', services: { open_cover: service } },
  { domain: 'automation', services: { turn_off: service, trigger: service } },
  { domain: 'notify', services: { notify: service } },
];
const home: LiveHome = {
  states: [
    state('light.porch', { friendly_name: 'Porch light' }),
    state('light.kitchen'),
    state('lock.front_door', { friendly_name: 'Front door' }),
    state('cover.garage_door', { friendly_name: 'Garage door', device_class: 'garage' }),
    state('cover.living_room_blinds', { device_class: 'blind' }),
    state('automation.alarm_at_night'),
    state('binary_sensor.hall_motion'),
  ],
  services,
};
const automation = (config: Record<string, unknown>): ProposalDraft => ({
  kind: 'automation',
  title: 't',
  description: '',
  payload: { config },
  haId: 'x',
  risk: { level: 'normal', reasons: [] },
});

describe('reviewDraft', () => {
  it('passes a draft whose entities and services exist, at normal risk', () => {
    const draft = automation({
      triggers: [{ trigger: 'state', entity_id: 'binary_sensor.hall_motion', to: 'on' }],
      conditions: [{ condition: 'state', entity_id: ['light.kitchen'], state: 'off' }],
      actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }, { service: 'notify.notify', data: { message: 'Motion {{ now() }}' } }],
    });
    expect(referencesOf(draft)).toEqual({ entityIds: ['binary_sensor.hall_motion', 'light.kitchen', 'light.porch'], services: ['light.turn_on', 'notify.notify'] });
    expect(reviewDraft(draft, home)).toEqual({ errors: [], risk: { level: 'normal', reasons: [] } });
  });

  it('names every unknown entity and service, and ids that are not entity ids', () => {
    const draft = automation({
      triggers: [{ trigger: 'sun', event: 'sunset' }],
      actions: [{ action: 'light.turn_onn', target: { entity_id: ['light.porchh', 'Porch Light'] } }],
    });
    expect(reviewDraft(draft, home).errors).toEqual([
      'Unknown entity "light.porchh": Home Assistant has no such entity.',
      '"Porch Light" is not an entity id (expected domain.object_id in lower case).',
      'Unknown service "light.turn_onn": Home Assistant offers no such service.',
    ]);
  });

  it('skips templates and the all/none keywords, which name no entity', () => {
    const draft = automation({ actions: [{ action: 'light.turn_off', target: { entity_id: 'all' } }, { action: 'light.turn_on', entity_id: '{{ trigger.entity_id }}' }] });
    expect(reviewDraft(draft, home).errors).toEqual([]);
  });

  it('marks locks, entrance covers and switching automations off as high risk, with the reasons', () => {
    const draft = automation({
      actions: [
        { action: 'lock.unlock', target: { entity_id: 'lock.front_door' } },
        { action: 'cover.open_cover', target: { entity_id: ['cover.garage_door', 'cover.living_room_blinds'] } },
        { action: 'automation.turn_off', target: { entity_id: 'automation.alarm_at_night' } },
      ],
    });
    expect(reviewDraft(draft, home).risk).toEqual({
      level: 'high',
      reasons: ['It controls Front door (lock).', 'It moves Garage door (a garage).', 'It can switch automations off (automation.turn_off).'],
    });
  });

  it('checks one-off commands and scenes the same way', () => {
    const command: ProposalDraft = {
      kind: 'entity_command',
      title: 'Unlock',
      description: '',
      payload: { domain: 'lock', service: 'unlock', entityIds: ['lock.front_door', 'lock.back_door'] },
      haId: 'lock.front_door',
      risk: { level: 'normal', reasons: [] },
    };
    expect(reviewDraft(command, home)).toEqual({
      errors: ['Unknown entity "lock.back_door": Home Assistant has no such entity.'],
      risk: { level: 'high', reasons: ['It controls Front door (lock).'] },
    });
    const scene: ProposalDraft = {
      kind: 'scene',
      title: 'Evening',
      description: '',
      payload: { config: { name: 'Evening', entities: { 'light.porch': { state: 'on' }, 'light.attic': { state: 'off' } } } },
      haId: 'evening',
      risk: { level: 'normal', reasons: [] },
    };
    expect(reviewDraft(scene, home).errors).toEqual(['Unknown entity "light.attic": Home Assistant has no such entity.']);
  });
});
