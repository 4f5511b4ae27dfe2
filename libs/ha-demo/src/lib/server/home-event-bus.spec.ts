import { jest } from '@jest/globals';
import type { HaEntityState } from '@aether/home-assistant';
import { FixtureHome } from '../fixture/fixture-home';
import { loadFixture } from '../fixture/load-fixture';
import { LiveHome } from '../live/live-home';
import { formatHaTimestamp } from '../time/ha-datetime';
import { SLOT_MS } from '../time/slot-time';
import { HomeEventBus, type HaBusEvent } from './home-event-bus';

const T0 = Date.parse('2026-11-29T12:00:00Z');

/** A home whose only entity is a clock-driven sensor: its state is the slot number. */
class SlotClockHome extends FixtureHome {
  constructor() {
    super(loadFixture({ states: [{ entity_id: 'sensor.slot', state: '0' }] }), T0);
  }
  private slotState(nowMs: number): HaEntityState {
    const slot = Math.floor(nowMs / SLOT_MS);
    const at = formatHaTimestamp(slot * SLOT_MS);
    return { entity_id: 'sensor.slot', state: String(slot), attributes: {}, last_changed: at, last_updated: at, context: { id: `C${slot}`, parent_id: null, user_id: null } };
  }
  override states(nowMs: number): HaEntityState[] {
    return [this.slotState(nowMs)];
  }
  override state(entityId: string, nowMs: number): HaEntityState | undefined {
    return entityId === 'sensor.slot' ? this.slotState(nowMs) : undefined;
  }
}

describe('HomeEventBus', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('publishes time-driven changes found at a slot boundary, and nothing when nothing changed', () => {
    let now = T0;
    const bus = new HomeEventBus(new LiveHome(new SlotClockHome()), () => now);
    const events: HaBusEvent[] = [];
    bus.subscribe((event) => events.push(event));
    bus.refresh();
    expect(events).toEqual([]);
    now += SLOT_MS;
    bus.refresh();
    expect(events).toEqual([
      expect.objectContaining({
        event_type: 'state_changed',
        origin: 'LOCAL',
        data: { entity_id: 'sensor.slot', old_state: expect.objectContaining({ state: String(T0 / SLOT_MS) }), new_state: expect.objectContaining({ state: String(T0 / SLOT_MS + 1) }) },
        context: { id: `C${T0 / SLOT_MS + 1}`, parent_id: null, user_id: null },
      }),
    ]);
  });

  it('checks on its own timer after each slot boundary until stopped', () => {
    jest.useFakeTimers({ now: T0 + 1_000 });
    const bus = new HomeEventBus(new LiveHome(new SlotClockHome()), () => Date.now());
    const events: HaBusEvent[] = [];
    bus.subscribe((event) => events.push(event));
    bus.startClock();
    jest.advanceTimersByTime(SLOT_MS);
    expect(events.map((event) => (event.data['new_state'] as HaEntityState).state)).toEqual([String(T0 / SLOT_MS + 1)]);
    jest.advanceTimersByTime(SLOT_MS);
    expect(events).toHaveLength(2);
    bus.stop();
    jest.advanceTimersByTime(3 * SLOT_MS);
    expect(events).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fires custom events to every subscriber until unsubscribed', () => {
    const bus = new HomeEventBus(new LiveHome(new SlotClockHome()), () => T0);
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((event) => seen.push(event.event_type));
    bus.fire('aether_ping', { n: 1 });
    unsubscribe();
    bus.fire('aether_ping', { n: 2 });
    expect(seen).toEqual(['aether_ping']);
  });
});
