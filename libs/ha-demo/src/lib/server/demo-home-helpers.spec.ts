import { createHomeAssistantClient, type HttpHomeAssistantClient } from '@aether/home-assistant';
import { startDemoHome, type RunningDemoHome } from './start-demo-home';

/**
 * The UI helpers (`input_…` storage collections) as HA serves them over the WebSocket API, through
 * the real client: HA's validation messages, ids, entities, rights and the mutation log.
 */
describe('demo home helpers (input_… storage collections)', () => {
  let home: RunningDemoHome;
  let ha: HttpHomeAssistantClient;

  beforeAll(async () => {
    home = await startDemoHome();
    ha = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await ha?.close();
    await home?.stop();
  });

  it("lists the house's UI-made helpers by their config", async () => {
    expect(await ha.listHelpers('input_boolean')).toEqual(
      expect.arrayContaining([{ id: 'guest_mode', name: 'Guest mode', icon: 'mdi:account-multiple' }, { id: 'holiday_mode', name: 'Holiday mode', icon: 'mdi:airplane' }]),
    );
    expect(await ha.listHelpers('input_select')).toEqual([expect.objectContaining({ id: 'house_mode', options: ['Home', 'Away', 'Night'] })]);
    expect(await ha.listHelpers('input_button')).toEqual([]);
  });

  it('refuses what HA refuses, with its invalid_format messages, and changes nothing but the log', async () => {
    const refused: Array<[Parameters<HttpHomeAssistantClient['createHelper']>, string]> = [
      [['input_number', { name: 'Humidity', min: 70, max: 30 } as never], 'Maximum (70.0) is not greater than minimum (30.0)'],
      [['input_number', { name: 'Humidity', min: 30, max: 70, initial: 90 } as never], 'Initial value 90.0 not in range 30.0-70.0'],
      [['input_number', { name: 'Humidity', max: 70 } as never], "required key not provided @ data['min']"],
      [['input_select', { name: 'Mode', options: ['A', 'A'] } as never], "Duplicate options are not allowed for dictionary value @ data['options']"],
      [['input_select', { name: 'Mode', options: ['A', 'B'], initial: 'C' } as never], 'initial state "C" is not part of the options: A,B'],
      [['input_datetime', { name: 'Alarm' }], 'Entity needs at least a date or a time'],
      [['input_boolean', { name: '' }], "length of value must be at least 1 for dictionary value @ data['name']"],
      [['input_boolean', { name: 'Party', colour: 'red' } as never], "extra keys not allowed @ data['colour']"],
      [['input_text', { name: 'Note', min: 5, max: 2 } as never], 'Max len (5) is not greater than min len (2)'],
    ];
    const states = (await ha.getStates()).length;
    for (const [args, message] of refused) {
      await expect(ha.createHelper(...args)).rejects.toThrow(message);
    }
    expect((await ha.getStates()).length).toBe(states);
    const log = home.mutations().filter((m) => m.kind === 'helper_create');
    expect(log).toHaveLength(refused.length);
    expect(log.every((m) => m.outcome === 'error')).toBe(true);
  });

  it('creates a helper as HA does: the id from its name (then _2), the entity there when the command answers, with HA defaults', async () => {
    const created = await ha.createHelper('input_number', { name: 'Target humidity', min: 30, max: 70, unit_of_measurement: '%' });
    expect(created).toEqual({ id: 'target_humidity', name: 'Target humidity', min: 30, max: 70, unit_of_measurement: '%', step: 1, mode: 'slider' });
    expect(await ha.getState('input_number.target_humidity')).toMatchObject({
      state: '30.0',
      attributes: { initial: null, editable: true, min: 30, max: 70, step: 1, mode: 'slider', unit_of_measurement: '%', friendly_name: 'Target humidity' },
    });
    expect((await ha.getEntityRegistry()).find((e) => e.entity_id === 'input_number.target_humidity')).toMatchObject({ platform: 'input_number', unique_id: 'target_humidity' });
    const again = await ha.createHelper('input_number', { name: 'Target humidity', min: 0, max: 1 });
    expect(again.id).toBe('target_humidity_2');
    expect(await ha.getState('input_number.target_humidity_2')).toMatchObject({ state: '0.0' });

    const mode = await ha.createHelper('input_select', { name: 'Heating mode', options: ['Eco', 'Comfort'] });
    expect(await ha.getState(`input_select.${mode.id}`)).toMatchObject({ state: 'Eco', attributes: { options: ['Eco', 'Comfort'], editable: true } });
    // Its services work like any helper's.
    await ha.callService('input_select', 'select_next', { entity_id: `input_select.${mode.id}` });
    expect((await ha.getState(`input_select.${mode.id}`))?.state).toBe('Comfort');
    const alarm = await ha.createHelper('input_datetime', { name: 'Alarm time', has_time: true, initial: '06:30' });
    expect(await ha.getState(`input_datetime.${alarm.id}`)).toMatchObject({ state: '06:30:00', attributes: { has_date: false, has_time: true, hour: 6, minute: 30, second: 0, timestamp: 23400 } });
  });

  it('updates a helper by replacing its config (the value clamped into a new range), and deletes it with its entity', async () => {
    await ha.callService('input_number', 'set_value', { entity_id: 'input_number.target_humidity', value: 65 });
    const updated = await ha.updateHelper('input_number', 'target_humidity', { name: 'Target humidity', min: 40, max: 60 });
    expect(updated).toEqual({ id: 'target_humidity', name: 'Target humidity', min: 40, max: 60, step: 1, mode: 'slider' });
    expect((await ha.getState('input_number.target_humidity'))?.state).toBe('60.0');
    await expect(ha.updateHelper('input_number', 'nothing_here', { name: 'x', min: 0, max: 1 })).rejects.toThrow('Unable to find input_number_id nothing_here');

    await ha.deleteHelper('input_number', 'target_humidity');
    expect(await ha.getState('input_number.target_humidity')).toBeNull();
    expect((await ha.listHelpers('input_number')).map((item) => item.id)).not.toContain('target_humidity');
    expect((await ha.getEntityRegistry()).some((e) => e.entity_id === 'input_number.target_humidity')).toBe(false);
    await expect(ha.deleteHelper('input_number', 'target_humidity')).rejects.toThrow('Unable to find input_number_id target_humidity');
    expect(home.mutations().filter((m) => m.kind === 'helper_delete').map((m) => m.outcome)).toEqual(['ok', 'error']);
  });

  it('refuses a non-admin user the writes (unauthorized), as HA does', async () => {
    const guest = await startDemoHome({ admin: false });
    const client = createHomeAssistantClient({ url: guest.url, token: guest.token, timeoutMs: 5_000 });
    try {
      expect((await client.listHelpers('input_boolean')).length).toBeGreaterThan(0);
      await expect(client.createHelper('input_boolean', { name: 'Party' })).rejects.toThrow(/nauthorized|administrator/);
      expect(guest.mutations()).toEqual([]);
    } finally {
      await client.close();
      await guest.stop();
    }
  });
});
