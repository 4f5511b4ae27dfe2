import { entityStatesSchema, historySchema } from './home-assistant-response-schemas';

const state = (overrides: Record<string, unknown> = {}) => ({
  entity_id: 'light.kitchen',
  state: 'on',
  attributes: { friendly_name: 'Kitchen', brightness: 128 },
  last_changed: '2026-12-06T08:00:00+00:00',
  last_updated: '2026-12-06T08:00:00+00:00',
  context: { id: 'c', parent_id: null, user_id: null },
  ...overrides,
});

const row = (overrides: Record<string, unknown> = {}) => ({ state: '12.5', last_changed: '2026-12-06T08:00:00+00:00', ...overrides });

describe('HA response schemas (checked without copying, explained by zod)', () => {
  it('accepts every state of a home as HA sends it, and hands back the very value', () => {
    const states = [state(), state({ entity_id: 'sensor.energy', state: '3.2', attributes: {} })];
    const result = entityStatesSchema.safeParse(states);
    expect(result.success).toBe(true);
    expect(result.data).toBe(states);
  });

  it.each([
    ['attributes that are not an object', [state(), state({ attributes: ['on'] })], '1.attributes'],
    ['a state that is not a string', [state({ state: 3 })], '0.state'],
    ['a missing entity id', [state({ entity_id: undefined })], '0.entity_id'],
    ['a null last_updated', [state({ last_updated: null })], '0.last_updated'],
    ['not a list', { 'light.kitchen': state() }, ''],
  ])('refuses states with %s, naming the field', (_case, states, path) => {
    const result = entityStatesSchema.safeParse(states);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path.join('.')).toBe(path);
    expect(result.error?.issues[0].message).toMatch(/expected/i);
  });

  it("accepts HA's minimal history (attributes on the first row only) and refuses a bad row deep inside, naming it", () => {
    const series = [
      [row({ entity_id: 'sensor.a', attributes: { unit_of_measurement: 'kWh' }, last_updated: '2026-12-06T08:00:00+00:00' }), row(), row()],
      [row({ entity_id: 'sensor.b' }), row(), row()],
    ];
    expect(historySchema.safeParse(series)).toMatchObject({ success: true, data: series });

    series[1][2] = row({ last_changed: 1733472000 });
    const refused = historySchema.safeParse(series);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].path.join('.')).toBe('1.2.last_changed');
    expect(historySchema.safeParse([[row({ attributes: 'kWh' })]]).error?.issues[0].path.join('.')).toBe('0.0.attributes');
    expect(historySchema.safeParse([row()]).success).toBe(false);
  });
});
