import type { HaEntityState } from '@aether/home-assistant';
import { compressState, diffStates } from './compressed-state';

const base: HaEntityState = {
  entity_id: 'light.desk',
  state: 'on',
  attributes: { brightness: 100, color_mode: 'brightness' },
  last_changed: '2026-11-29T12:00:00+00:00',
  last_updated: '2026-11-29T12:00:00+00:00',
  context: { id: 'CTX1', parent_id: null, user_id: null },
};

describe('compressed states (subscribe_entities)', () => {
  it('compresses like HA: lu only when it differs from lc, context as id unless it has a parent or user', () => {
    expect(compressState(base)).toEqual({ s: 'on', a: base.attributes, c: 'CTX1', lc: Date.parse(base.last_changed) / 1000 });
    const updated = { ...base, last_updated: '2026-11-29T12:00:05+00:00', context: { id: 'CTX2', parent_id: 'CTX1', user_id: null } };
    expect(compressState(updated)).toEqual({ s: 'on', a: base.attributes, c: { id: 'CTX2', parent_id: 'CTX1', user_id: null }, lc: Date.parse(base.last_changed) / 1000, lu: Date.parse(updated.last_updated) / 1000 });
  });

  it('diffs only what changed, with removed attributes under "-"', () => {
    const after: HaEntityState = {
      ...base,
      state: 'off',
      attributes: { brightness: null },
      last_changed: '2026-11-29T12:01:00+00:00',
      last_updated: '2026-11-29T12:01:00+00:00',
      context: { id: 'CTX3', parent_id: null, user_id: null },
    };
    expect(diffStates(base, after)).toEqual({ '+': { s: 'off', lc: Date.parse(after.last_changed) / 1000, c: 'CTX3', a: { brightness: null } }, '-': { a: ['color_mode'] } });
    const child = { ...base, context: { id: 'CTX4', parent_id: 'CTX1', user_id: null } };
    expect(diffStates(base, child)).toEqual({ '+': { c: { parent_id: 'CTX1', id: 'CTX4' } } });
    expect(diffStates(base, base)).toEqual({ '+': {} });
  });
});
