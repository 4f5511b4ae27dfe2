import type { HaContext, HaEntityState } from '@aether/home-assistant';
import type { HomeModel } from '../model/home-model';
import { formatHaTimestamp } from '../time/ha-datetime';
import { SLOT_MS } from '../time/slot-time';
import { newContext } from '../live/service-context';

/** An event on HA's bus as `subscribe_events` delivers it. */
export interface HaBusEvent {
  event_type: string;
  data: Record<string, unknown>;
  origin: 'LOCAL' | 'REMOTE';
  time_fired: string;
  context: HaContext;
}

export interface StateChangedData {
  entity_id: string;
  old_state: HaEntityState | null;
  new_state: HaEntityState | null;
}

type Listener = (event: HaBusEvent) => void;

/**
 * The home's event bus. `state_changed` events are found by comparing the home's states with the
 * last ones seen — after every mutation (`refresh()`), and on a timer at each 5-minute slot
 * boundary, when the model's time-driven states move on — so subscribers see both kinds of change.
 */
export class HomeEventBus {
  private readonly listeners = new Set<Listener>();
  private snapshot = new Map<string, { state: HaEntityState; key: string }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly home: HomeModel,
    private readonly now: () => number,
  ) {
    this.snapshot = this.take();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fires an event (`POST /api/events/<type>`, WS `fire_event`). */
  fire(eventType: string, data: Record<string, unknown>, context: HaContext = newContext(this.now()), origin: HaBusEvent['origin'] = 'REMOTE'): void {
    const event: HaBusEvent = { event_type: eventType, data, origin, time_fired: formatHaTimestamp(this.now()), context };
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Publishes a `state_changed` event for every state that differs from the last seen. */
  refresh(): void {
    const next = this.take();
    const previous = this.snapshot;
    this.snapshot = next;
    for (const [entityId, current] of next) {
      const before = previous.get(entityId);
      if (before && before.key === current.key) continue;
      this.publish(entityId, before?.state ?? null, current.state);
    }
    for (const [entityId, before] of previous) {
      if (!next.has(entityId)) this.publish(entityId, before.state, null);
    }
  }

  /** Checks for time-driven changes just after each slot boundary until `stop()`. */
  startClock(): void {
    if (this.stopped || this.timer) return;
    const schedule = () => {
      const wait = SLOT_MS - (Date.now() % SLOT_MS) + 1_000;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.stopped) return;
        try {
          if (this.listeners.size > 0) this.refresh();
          else this.snapshot = this.take();
        } finally {
          schedule();
        }
      }, wait);
      this.timer.unref();
    };
    schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private publish(entityId: string, oldState: HaEntityState | null, newState: HaEntityState | null): void {
    const context = newState?.context ?? oldState?.context ?? newContext(this.now());
    const data: StateChangedData = { entity_id: entityId, old_state: oldState, new_state: newState };
    this.fire('state_changed', data as unknown as Record<string, unknown>, context, 'LOCAL');
  }

  private take(): Map<string, { state: HaEntityState; key: string }> {
    const map = new Map<string, { state: HaEntityState; key: string }>();
    for (const state of this.home.states(this.now())) {
      map.set(state.entity_id, { state, key: `${state.state}\u0000${state.last_updated}\u0000${state.last_changed}\u0000${JSON.stringify(state.attributes)}` });
    }
    return map;
  }
}
