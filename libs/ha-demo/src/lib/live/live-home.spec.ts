import type { HaEntityState, HaHistoryState, HaLogbookEntry } from '@aether/home-assistant';
import { FixtureHome } from '../fixture/fixture-home';
import { loadFixture } from '../fixture/load-fixture';
import { smallHomeFixture } from '../fixture/small-home.fixture';
import type { HistoryRequest } from '../history/history-request';
import type { LogbookRequest } from '../model/home-model';
import { formatHaTimestamp } from '../time/ha-datetime';
import { ConfigMalformedError } from './config-schemas';
import { LiveHome } from './live-home';
import { ServiceDataError, ServiceNotFoundError, ServiceValidationError } from './service-errors';

const T0 = Date.parse('2026-11-29T12:00:00Z');
const MINUTE = 60_000;
/** The porch light's routine: off until 17:00, on from then. */
const PORCH_ON_AT = Date.parse('2026-11-29T17:00:00Z');

/** The small fixture home plus one time-driven entity, to exercise the override rule. */
class RoutineHome extends FixtureHome {
  constructor() {
    super(loadFixture(smallHomeFixture()), T0);
  }
  private porch(nowMs: number): HaEntityState {
    const on = nowMs >= PORCH_ON_AT;
    const changed = formatHaTimestamp(on ? PORCH_ON_AT : T0 - 60 * MINUTE);
    return { entity_id: 'light.porch', state: on ? 'on' : 'off', attributes: { friendly_name: 'Porch' }, last_changed: changed, last_updated: changed, context: { id: 'BASE', parent_id: null, user_id: null } };
  }
  override states(nowMs: number): HaEntityState[] {
    return [...super.states(nowMs), this.porch(nowMs)];
  }
  override state(entityId: string, nowMs: number): HaEntityState | undefined {
    return entityId === 'light.porch' ? this.porch(nowMs) : super.state(entityId, nowMs);
  }
  override history(request: HistoryRequest, nowMs: number): HaHistoryState[][] {
    const others = super.history({ ...request, entityIds: request.entityIds.filter((id) => id !== 'light.porch') }, nowMs);
    if (!request.entityIds.includes('light.porch')) return others;
    const rows: HaHistoryState[] = [];
    const at = (ms: number, state: string) => ({ entity_id: 'light.porch', state, attributes: {}, last_changed: formatHaTimestamp(ms), last_updated: formatHaTimestamp(ms) });
    if (request.includeStartTimeState) rows.push(at(request.startMs, request.startMs >= PORCH_ON_AT ? 'on' : 'off'));
    if (PORCH_ON_AT > request.startMs && PORCH_ON_AT < Math.min(request.endMs, nowMs + 1)) rows.push(at(PORCH_ON_AT, 'on'));
    return [...others, rows];
  }
  override logbook(request: LogbookRequest, nowMs: number): HaLogbookEntry[] {
    const base = super.logbook(request, nowMs);
    const porch = { when: formatHaTimestamp(PORCH_ON_AT), name: 'Porch', state: 'on', entity_id: 'light.porch' };
    const wanted = !request.entityIds || request.entityIds.includes('light.porch');
    return wanted && PORCH_ON_AT >= request.startMs && PORCH_ON_AT < request.endMs && PORCH_ON_AT <= nowMs ? [...base, porch] : base;
  }
}

const historyRequest = (entityIds: string[], startMs: number, endMs: number): HistoryRequest => ({
  startMs,
  endMs,
  entityIds,
  includeStartTimeState: true,
  significantChangesOnly: true,
  minimalResponse: false,
  noAttributes: false,
});

describe('LiveHome', () => {
  let home: LiveHome;
  beforeEach(() => {
    home = new LiveHome(new RoutineHome());
  });

  it('turns a light on with brightness: state, attributes, context, last_changed', () => {
    const at = T0 + 10 * MINUTE;
    const result = home.callService('light', 'turn_on', { entity_id: 'light.hall', brightness_pct: 50 }, at);
    expect(result.changed).toHaveLength(1);
    const hall = home.state('light.hall', at);
    expect(hall).toMatchObject({ state: 'on', attributes: { friendly_name: 'Hall Light', brightness: 128 }, last_changed: formatHaTimestamp(at), context: result.context });
    expect(result.context.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(home.states(at).find((state) => state.entity_id === 'light.hall')?.state).toBe('on');

    // Only attributes change: last_changed stays, last_updated moves.
    const later = at + MINUTE;
    home.callService('light', 'turn_on', { entity_id: 'light.hall', brightness: 10 }, later);
    expect(home.state('light.hall', later)).toMatchObject({ state: 'on', last_changed: formatHaTimestamp(at), last_updated: formatHaTimestamp(later), attributes: { brightness: 10 } });

    // Calling again with the same effect changes nothing.
    expect(home.callService('light', 'turn_on', { entity_id: 'light.hall', brightness: 10 }, later + MINUTE).changed).toEqual([]);
  });

  it('keeps an override until the model’s own state next changes', () => {
    const at = T0 + 30 * MINUTE;
    home.callService('light', 'turn_on', { entity_id: 'light.porch' }, at);
    expect(home.state('light.porch', at + MINUTE)?.state).toBe('on');
    home.callService('light', 'turn_off', { entity_id: 'light.porch' }, at + 2 * MINUTE);
    expect(home.state('light.porch', PORCH_ON_AT - MINUTE)).toMatchObject({ state: 'off', last_changed: formatHaTimestamp(at + 2 * MINUTE) });
    // The routine switches it on at 17:00: the model wins from then on.
    expect(home.state('light.porch', PORCH_ON_AT + MINUTE)).toMatchObject({ state: 'on', last_changed: formatHaTimestamp(PORCH_ON_AT), context: { id: 'BASE' } });
    // A static entity keeps its override indefinitely.
    home.callService('switch', 'turn_on', { entity_id: 'switch.kettle' }, at);
    expect(home.state('switch.kettle', at + 365 * 24 * 60 * MINUTE)?.state).toBe('on');
  });

  it('shows the change in history and the logbook with the call’s context', () => {
    const at = T0 + 30 * MINUTE;
    const { context } = home.callService('light', 'turn_on', { entity_id: 'light.porch' }, at);
    home.callService('light', 'turn_off', { entity_id: 'light.porch' }, at + 60 * MINUTE);
    const now = PORCH_ON_AT + 60 * MINUTE;
    const [series] = home.history(historyRequest(['light.porch'], T0, now), now);
    expect(series.map((row) => [row.state, row.last_changed])).toEqual([
      ['off', formatHaTimestamp(T0)],
      ['on', formatHaTimestamp(at)],
      ['off', formatHaTimestamp(at + 60 * MINUTE)],
      ['on', formatHaTimestamp(PORCH_ON_AT)],
    ]);
    const minimal = home.history({ ...historyRequest(['light.porch', 'sensor.kitchen_temperature'], T0, now), minimalResponse: true, noAttributes: true }, now);
    expect(minimal.map((s) => s[0].entity_id)).toEqual(['light.porch', 'sensor.kitchen_temperature']);
    expect(Object.keys(minimal[0][1]).sort()).toEqual(['last_changed', 'state']);

    const entries = home.logbook({ startMs: T0, endMs: now, entityIds: ['light.porch'] }, now);
    expect(entries.map((entry) => [entry.state, entry.when])).toEqual([
      ['on', formatHaTimestamp(at)],
      ['off', formatHaTimestamp(at + 60 * MINUTE)],
      ['on', formatHaTimestamp(PORCH_ON_AT)],
    ]);
    expect(entries[0]).toMatchObject({ entity_id: 'light.porch', name: 'Porch', context_id: context.id, context_event_type: 'call_service', context_domain: 'light', context_service: 'turn_on' });
  });

  it('keeps the model’s own change that ends an override in the logbook', () => {
    home.callService('light', 'turn_on', { entity_id: 'light.porch' }, T0);
    // Overridden "on" until the model itself turns on at 17:00: that entry is genuine and stays.
    const entries = home.logbook({ startMs: T0 - MINUTE, endMs: PORCH_ON_AT + MINUTE }, PORCH_ON_AT + MINUTE).filter((entry) => entry.entity_id === 'light.porch');
    expect(entries.map((entry) => entry.state)).toEqual(['on', 'on']);
  });

  it('honours every domain’s services', () => {
    const at = T0 + MINUTE;
    const call = (domain: string, service: string, data: Record<string, unknown>) => home.callService(domain, service, data, at).changed[0];
    expect(call('switch', 'toggle', { entity_id: 'switch.kettle' })?.state).toBe('on');
    expect(call('climate', 'set_temperature', { entity_id: 'climate.living_room', temperature: 22.5 })?.attributes['temperature']).toBe(22.5);
    expect(call('climate', 'set_hvac_mode', { entity_id: 'climate.living_room', hvac_mode: 'auto' })?.state).toBe('auto');
    expect(call('climate', 'turn_off', { entity_id: 'climate.living_room' })?.state).toBe('off');
    expect(call('climate', 'turn_on', { entity_id: 'climate.living_room' })?.state).toBe('heat');
    expect(call('cover', 'set_cover_position', { entity_id: 'cover.garage', position: 40 })).toMatchObject({ state: 'open', attributes: { current_position: 40 } });
    expect(call('cover', 'close_cover', { entity_id: 'cover.garage' })).toMatchObject({ state: 'closed', attributes: { current_position: 0 } });
    expect(call('lock', 'unlock', { entity_id: 'lock.front_door' })?.state).toBe('unlocked');
    expect(call('media_player', 'turn_on', { entity_id: 'media_player.tv' })?.state).toBe('on');
    expect(call('media_player', 'media_play', { entity_id: 'media_player.tv' })?.state).toBe('playing');
    expect(call('media_player', 'media_pause', { entity_id: 'media_player.tv' })?.state).toBe('paused');
    expect(call('media_player', 'volume_set', { entity_id: 'media_player.tv', volume_level: 0.6 })?.attributes['volume_level']).toBe(0.6);
    expect(call('input_number', 'set_value', { entity_id: 'input_number.target', value: 7 })?.state).toBe('7');
    expect(call('input_boolean', 'turn_on', { entity_id: 'input_boolean.guest_mode' })?.state).toBe('on');
    expect(call('input_text', 'set_value', { entity_id: 'input_text.note', value: 'hello' })?.state).toBe('hello');
    expect(call('input_select', 'select_option', { entity_id: 'input_select.house_mode', option: 'Away' })?.state).toBe('Away');
    expect(call('homeassistant', 'turn_off', { entity_id: ['light.kitchen', 'input_boolean.guest_mode', 'sensor.kitchen_temperature'] })).toBeDefined();
    expect(home.state('light.kitchen', at)?.state).toBe('off');
    expect(home.state('input_boolean.guest_mode', at)?.state).toBe('off');
    expect(call('homeassistant', 'turn_on', { entity_id: 'cover.garage' })).toMatchObject({ state: 'open', attributes: { current_position: 100 } });
    expect(call('automation', 'turn_off', { entity_id: 'automation.evening_lights' })?.state).toBe('off');
  });

  it('targets by area and device, skips unknown entities and other domains', () => {
    const at = T0 + MINUTE;
    home.callService('light', 'turn_off', { entity_id: 'light.kitchen' }, at);
    const byArea = home.callService('light', 'turn_on', { area_id: 'kitchen' }, at + MINUTE);
    expect(byArea.changed.map((s) => s.entity_id)).toEqual(['light.kitchen']);
    const byDevice = home.callService('light', 'turn_off', { device_id: ['dev_kitchen_light'] }, at + 2 * MINUTE);
    expect(byDevice.changed.map((s) => s.entity_id)).toEqual(['light.kitchen']);
    expect(home.callService('light', 'turn_on', { entity_id: ['light.nowhere', 'switch.kettle'] }, at).changed).toEqual([]);
  });

  it('refuses unknown services, bad data and impossible values with HA’s errors', () => {
    expect(() => home.callService('light', 'teleport', {}, T0)).toThrow(new ServiceNotFoundError('light', 'teleport'));
    expect(() => home.callService('light', 'teleport', {}, T0)).toThrow('Service light.teleport not found.');
    expect(() => home.callService('vacuum', 'start', {}, T0)).toThrow(ServiceNotFoundError);
    expect(() => home.callService('light', 'turn_on', { entity_id: 'light.hall', brightness: 300 }, T0)).toThrow(ServiceDataError);
    expect(() => home.callService('light', 'turn_on', { entity_id: 'light.hall', brightness: 300 }, T0)).toThrow("@ data['brightness']");
    expect(() => home.callService('light', 'turn_on', { entity_id: 'light.hall', sparkle: true }, T0)).toThrow("extra keys not allowed @ data['sparkle']");
    expect(() => home.callService('input_select', 'select_option', { entity_id: 'input_select.house_mode', option: 'Mars' }, T0)).toThrow(ServiceValidationError);
    expect(() => home.callService('input_number', 'set_value', { entity_id: 'input_number.target', value: 11 }, T0)).toThrow('range 0 - 10');
    expect(() => home.callService('light', 'turn_on', { entity_id: 'light.hall' }, T0, { returnResponse: true })).toThrow(ServiceValidationError);
    expect(home.state('light.hall', T0)?.state).toBe('off');
  });

  it('runs scripts, triggers automations and activates scenes through their actions', () => {
    const at = T0 + 5 * MINUTE;
    const script = home.callService('script', 'morning', {}, at, { returnResponse: true });
    expect(script.response).toEqual({});
    expect(home.state('switch.kettle', at)).toMatchObject({ state: 'on', context: { parent_id: script.context.id } });
    expect(home.state('script.morning', at)?.attributes['last_triggered']).toBe(formatHaTimestamp(at));

    home.callService('automation', 'trigger', { entity_id: 'automation.evening_lights' }, at);
    expect(home.state('light.hall', at)).toMatchObject({ state: 'on', attributes: { brightness: 200 } });
    expect(home.logbook({ startMs: at, endMs: at + 1, entityIds: ['automation.evening_lights'] }, at)).toEqual([
      expect.objectContaining({ message: 'triggered by action automation.trigger', name: 'Evening lights' }),
    ]);

    home.callService('scene', 'turn_on', { entity_id: 'scene.movie_night' }, at);
    expect(home.state('light.kitchen', at)).toMatchObject({ state: 'on', attributes: { brightness: 40 } });
    expect(home.state('media_player.tv', at)?.state).toBe('on');
    expect(home.state('scene.movie_night', at)?.state).toBe(formatHaTimestamp(at));
  });

  it('stores configs as HA validates them; their entities and registry entries follow on reload', () => {
    const at = T0 + MINUTE;
    const write = (kind: 'automation' | 'script' | 'scene', id: string, body: unknown, atMs: number) => {
      const stored = home.storeConfig(kind, id, body);
      home.reloadConfig(kind, stored, atMs);
    };
    expect(() => home.storeConfig('automation', 'night', { alias: 'Night' })).toThrow(ConfigMalformedError);
    expect(() => home.storeConfig('automation', 'night', { alias: 'Night' })).toThrow("Message malformed: required key not provided @ data['triggers']");
    expect(() => home.storeConfig('script', 'Bad Id', { sequence: [] })).toThrow('Key malformed: invalid slug Bad Id (try bad_id)');
    expect(() => home.storeConfig('scene', 'x', { entities: {} })).toThrow("@ data['name']");

    home.storeConfig('automation', 'night', { alias: 'Night mode', triggers: [{ trigger: 'time', at: '23:00' }], actions: [] });
    expect(home.readConfig('automation', 'night')).toEqual({ id: 'night', alias: 'Night mode', triggers: [{ trigger: 'time', at: '23:00' }], actions: [] });
    expect(Object.keys(home.readConfig('automation', 'night') ?? {})).toEqual(['id', 'alias', 'triggers', 'actions']);
    // Stored, not yet reloaded: no entity.
    expect(home.state('automation.night_mode', at)).toBeUndefined();
    home.reloadConfig('automation', 'night', at);
    expect(home.state('automation.night_mode', at)).toMatchObject({ state: 'on', attributes: { id: 'night', friendly_name: 'Night mode' } });
    expect(home.registries().entities.find((entry) => entry.entity_id === 'automation.night_mode')).toMatchObject({ platform: 'automation', unique_id: 'night' });

    // Updating keeps the entity id, changes its name.
    write('automation', 'night', { alias: 'Late night', triggers: [], actions: [] }, at + MINUTE);
    expect(home.state('automation.night_mode', at + MINUTE)?.attributes['friendly_name']).toBe('Late night');
    // An existing automation from the model is found by its id.
    write('automation', 'evening_lights', { alias: 'Dusk lights', triggers: [], actions: [] }, at + MINUTE);
    expect(home.state('automation.evening_lights', at + MINUTE)?.attributes['friendly_name']).toBe('Dusk lights');

    write('script', 'bedtime', { alias: 'Bedtime', sequence: [] }, at);
    expect(home.state('script.bedtime', at)).toMatchObject({ state: 'off', attributes: { friendly_name: 'Bedtime' } });
    expect(home.services(at)['script']['bedtime']).toMatchObject({ name: 'Bedtime', response: { optional: true } });
    write('scene', 'reading', { name: 'Reading', entities: { 'light.hall': 'on' } }, at);
    expect(home.state('scene.reading', at)).toMatchObject({ state: 'unknown', attributes: { id: 'reading', entity_id: ['light.hall'] } });

    expect(home.deleteConfig('automation', 'night')).toBe(true);
    expect(home.deleteConfig('automation', 'night')).toBe(false);
    expect(home.readConfig('automation', 'night')).toBeUndefined();
    home.reloadConfig('automation', 'night', at + 2 * MINUTE);
    expect(home.state('automation.night_mode', at + 2 * MINUTE)).toBeUndefined();
    expect(home.states(at + 2 * MINUTE).some((state) => state.entity_id === 'automation.night_mode')).toBe(false);
    expect(home.registries().entities.some((entry) => entry.entity_id === 'automation.night_mode')).toBe(false);
    home.deleteConfig('script', 'morning');
    home.reloadConfig('script', 'morning', at + 2 * MINUTE);
    expect(home.state('script.morning', at + 2 * MINUTE)).toBeUndefined();
    expect(home.services(at + 2 * MINUTE)['script']['morning']).toBeUndefined();
  });

  it('saves the dashboard over the model’s', () => {
    expect(home.lovelace()).toBeNull();
    home.saveLovelace({ title: 'Home', views: [{ title: 'Main', cards: [] }] });
    expect(home.lovelace()).toEqual({ title: 'Home', views: [{ title: 'Main', cards: [] }] });
  });
});

describe('LiveHome notify services (the demo house)', () => {
  it("offers HA's persistent notification and one mobile_app notifier per phone, named as HA names them (its slugify turns an apostrophe into _), and needs a message", async () => {
    const { sharedDemoHouse } = await import('../model/demo-house');
    const home = new LiveHome(sharedDemoHouse());
    const now = Date.now();
    // The house's own automations notify Sam's phone: the service they call exists.
    expect(Object.keys(home.services(now)['notify']).sort()).toEqual(['mobile_app_alex_s_pixel_8', 'mobile_app_sam_s_iphone', 'persistent_notification']);
    expect(home.callService('notify', 'mobile_app_sam_s_iphone', { message: 'Front door opened' }, now).changed).toEqual([]);
    expect(() => home.callService('notify', 'persistent_notification', {}, now)).toThrow(new ServiceDataError("required key not provided @ data['message']"));
    expect(() => home.callService('notify', 'notify', { message: 'x' }, now)).toThrow(ServiceNotFoundError);
  });
});
