import { validateHaConfig } from './ha-config-contract';

describe('HA config contract', () => {
  const reason = (kind: 'automation' | 'script' | 'scene', key: string, body: unknown) => {
    const verdict = validateHaConfig(kind, key, body);
    return verdict.ok ? 'ok' : verdict.reason;
  };

  it('accepts what HA accepts: plural and singular keys, nested actions, templates, blueprints', () => {
    expect(reason('automation', 'a', { triggers: [{ trigger: 'state', entity_id: ['light.hall'], to: 'on' }], actions: [] })).toBe('ok');
    expect(reason('automation', 'a', { trigger: { platform: 'time', at: '07:00' }, action: { service: 'light.turn_on', entity_id: 'all' } })).toBe('ok');
    expect(
      reason('automation', 'a', {
        triggers: [{ trigger: 'numeric_state', entity_id: 'sensor.t', above: 20 }],
        conditions: ['{{ is_state("sun.sun", "below_horizon") }}', { or: [{ condition: 'state', entity_id: 'person.a', state: 'home' }] }],
        actions: [{ if: [{ condition: 'sun', after: 'sunset' }], then: [{ action: '{{ svc }}' }], else: [{ delay: '00:01:00' }] }, { choose: [{ conditions: [], sequence: [{ scene: 'scene.x' }] }] }],
      }),
    ).toBe('ok');
    expect(reason('automation', 'a', { use_blueprint: { path: 'homeassistant/motion_light.yaml', input: {} } })).toBe('ok');
    expect(reason('script', 'wake', { use_blueprint: { path: 'homeassistant/confirmable_notification.yaml' } })).toBe('ok');
    expect(reason('scene', 's', { name: 'S', entities: { 'light.hall': 'on' } })).toBe('ok');
  });

  it('refuses what HA refuses, with HA’s reason', () => {
    expect(reason('automation', 'a', { triggers: [{ trigger: 'teleport' }], actions: [] })).toBe("Message malformed: Invalid trigger 'teleport' specified");
    expect(reason('automation', 'a', { triggers: [{ at: '07:00' }], actions: [] })).toBe("Message malformed: required key not provided @ data['triggers'][0]['trigger']");
    expect(reason('automation', 'a', { trigger: [], triggers: [], actions: [] })).toBe("Message malformed: Cannot specify both 'trigger' and 'triggers'. Please use 'triggers' only.");
    expect(reason('automation', 'a', { triggers: [], actions: [{ repeat: { count: 2 } }] })).toBe("Message malformed: required key not provided @ data['actions'][0]['repeat']['sequence']");
    expect(reason('automation', 'a', { triggers: [], actions: [], mode: 'sometimes' })).toBe("Message malformed: value must be one of ['single', 'restart', 'queued', 'parallel'] for dictionary value @ data['mode']");
    expect(reason('automation', 'a', { triggers: [{ trigger: 'state', entity_id: 'light' }], actions: [] })).toBe("Message malformed: Entity light is neither a valid entity ID nor a valid UUID for dictionary value @ data['entity_id']");
    expect(reason('script', 'Wake Up', { sequence: [] })).toBe('Key malformed: invalid slug Wake Up (try wake_up)');
    expect(reason('script', 'wake', { alias: 'Wake' })).toBe("Message malformed: required key not provided @ data['sequence']");
    expect(reason('scene', 's', { entities: {} })).toBe("Message malformed: required key not provided @ data['name']");
    expect(reason('scene', 's', { name: 'S', entities: { 'Hall light': 'on' } })).toBe("Message malformed: Entity ID Hall light is an invalid entity ID @ data['entities']");
    expect(reason('automation', 'a', [])).toBe('Message malformed: expected a dictionary');
  });
});
