import type { HaLogbookEntry } from '@aether/home-assistant';
import type { LocalClock } from '../energy/local-clock';

/**
 * Who made a state change, read from the context HA records with it (the logbook's `context_*`
 * fields): a person (`context_user_id`: the UI, the app, a voice assistant acting for a user), an
 * automation or script run (`context_event_type` `automation_triggered`, or `context_domain`
 * automation/script), some other caller (a service call without a user: an integration), or
 * nobody HA can name (no context: a physical switch, or the device changing by itself).
 */
export type Actor = 'person' | 'automation' | 'integration' | 'device';

/** Domains whose state people (or automations) set; sensors only report. */
export const CONTROLLABLE_DOMAINS: ReadonlySet<string> = new Set([
  'light', 'switch', 'fan', 'cover', 'climate', 'media_player', 'lock', 'input_boolean', 'vacuum', 'humidifier', 'water_heater', 'valve', 'siren',
]);

/** A logbook starting this long after the window's start was purged before it. */
const PURGE_EVIDENCE_MS = 3_600_000;
/** A habit needs this many days with the same action at about the same time. */
export const HABIT_MIN_DAYS = 3;
/** Actions within this many minutes of a habit's usual time count as that habit. */
export const HABIT_TOLERANCE_MINUTES = 30;
/** Two entities "change together" when one changes within this long after the other… */
export const CO_CHANGE_WINDOW_MS = 5 * 60_000;
/** …at least this many times. */
export const CO_CHANGE_MIN_TIMES = 3;
/** A device on at this local time has been left on overnight. */
const NIGHT_CHECK_MINUTE = 3 * 60;
/** A person setting an entity to another state this soon after an automation set it undid the automation. */
export const OVERRIDE_WINDOW_MS = 60 * 60_000;

export interface StateChange {
  entityId: string;
  name: string;
  state: string;
  /** Epoch milliseconds. */
  at: number;
  actor: Actor;
  /** The automation (or script) that made it, when HA names it in the change's context. */
  by?: { entityId: string; name: string };
}

/** What an automation did in the window, and how often people undid it. */
export interface AutomationEffect {
  entityId: string;
  name: string;
  /** Its "triggered" rows in the logbook. */
  runs: number;
  /** State changes it made. */
  changes: number;
  /** Its changes a person undid (set the entity to another state) within `OVERRIDE_WINDOW_MS`. */
  overrides: number;
  /** The entities it changed, most changed first. */
  entities: string[];
}

export interface DayCount {
  days: number;
  /** Days of the window on which the usual time occurred. */
  of: number;
}

/** The same action done by a person at about the same time of day on several days. */
export interface ManualHabit {
  entityId: string;
  name: string;
  /** The state the person set ("on"). */
  state: string;
  /** Median local time of the actions, "HH:MM". */
  usualTime: string;
  /** Earliest and latest local time of the actions counted, "HH:MM". */
  earliest: string;
  latest: string;
  all: DayCount;
  weekdays: DayCount;
  weekends: DayCount;
  routine: 'every day' | 'weekdays' | 'weekends';
  /** Days with the action over days of the routine's kind in the window, 0–1. */
  frequency: number;
}

export interface CoChange {
  first: { entityId: string; name: string };
  second: { entityId: string; name: string };
  /** Times one changed within `CO_CHANGE_WINDOW_MS` after the other. */
  times: number;
  /** `times` over the changes of the entity that changed less often, 0–1. */
  share: number;
}

export interface DeviceUsage {
  entityId: string;
  name: string;
  /** Hours on within the window (the state before its first change is read from that change, see `deviceUsage`). */
  onHours: number;
  /** Times switched on within the window. */
  cycles: number;
  /** Nights of the window on which it was still on at 03:00 local time. */
  nightsLeftOn: number;
}

export interface BehaviorFigures {
  /**
   * The window asked for; `coveredFrom` when the logbook starts later than it (HA purges its
   * recorder after `purge_keep_days`, 10 by default): days are counted from there, never over
   * time the logbook does not hold.
   */
  window: { start: string; end: string; hours: number; coveredFrom?: string };
  timeZone: string;
  /** State changes in the logbook window (automation runs and other events are not counted). */
  stateChanges: number;
  entities: number;
  /** Who changed the controllable devices (`CONTROLLABLE_DOMAINS`). */
  actors: Record<Actor, number> & { total: number };
  habits: ManualHabit[];
  coChanges: CoChange[];
  deviceUsage: DeviceUsage[];
  /** Every automation that ran or changed something in the window, most overridden first. */
  automations: AutomationEffect[];
}

export interface BehaviorInput {
  entries: readonly HaLogbookEntry[];
  start: Date;
  end: Date;
  hours: number;
  clock: LocalClock;
}

/** Every figure of the behavioral analysis, from the logbook alone. */
export function computeBehaviorFigures({ entries, start, end, hours, clock }: BehaviorInput): BehaviorFigures {
  const changes = stateChanges(entries, start.getTime(), end.getTime());
  const controllable = changes.filter((c) => CONTROLLABLE_DOMAINS.has(domainOf(c.entityId)));
  const actors = { person: 0, automation: 0, integration: 0, device: 0, total: controllable.length };
  for (const change of controllable) actors[change.actor] += 1;
  // A home's sensors log something every few minutes: a logbook whose first row comes over an hour
  // into the window was purged before it (a quiet home merely counts from its first row).
  const firstAt = changes[0]?.at;
  const coveredFrom = firstAt !== undefined && firstAt - start.getTime() > PURGE_EVIDENCE_MS ? firstAt : undefined;
  const calendar = new WindowCalendar(coveredFrom ?? start.getTime(), end.getTime(), clock);
  return {
    window: { start: start.toISOString(), end: end.toISOString(), hours, ...(coveredFrom !== undefined ? { coveredFrom: new Date(coveredFrom).toISOString() } : {}) },
    timeZone: clock.timeZone,
    stateChanges: changes.length,
    entities: new Set(changes.map((c) => c.entityId)).size,
    actors,
    habits: manualHabits(controllable.filter((c) => c.actor === 'person'), calendar),
    coChanges: coChanges(changes),
    deviceUsage: deviceUsage(controllable, calendar),
    automations: automationEffects(entries, changes, start.getTime(), end.getTime()),
  };
}

/**
 * The state changes among logbook rows (rows with an entity and a state; automation runs have no
 * state), oldest first. Only `when`, `entity_id`, `state`, `name` and the context fields are read,
 * so rows with or without `message`/`domain` (HA leaves them out of state rows) read alike.
 */
export function stateChanges(entries: readonly HaLogbookEntry[], startMs: number, endMs: number): StateChange[] {
  const changes: StateChange[] = [];
  for (const entry of entries) {
    if (typeof entry.entity_id !== 'string' || typeof entry.state !== 'string') continue;
    const at = typeof entry.when === 'number' ? entry.when * 1000 : Date.parse(entry.when);
    if (!Number.isFinite(at) || at < startMs || at >= endMs) continue;
    const actor = actorOf(entry);
    const by = actor === 'automation' && entry.context_entity_id ? { entityId: entry.context_entity_id, name: entry.context_entity_id_name || entry.context_entity_id } : undefined;
    changes.push({ entityId: entry.entity_id, name: entry.name || entry.entity_id, state: entry.state, at, actor, ...(by ? { by } : {}) });
  }
  return changes.sort((a, b) => a.at - b.at);
}

export function actorOf(entry: HaLogbookEntry): Actor {
  if (entry.context_user_id) return 'person';
  if (entry.context_event_type === 'automation_triggered' || entry.context_domain === 'automation' || entry.context_domain === 'script') return 'automation';
  if (entry.context_event_type || entry.context_domain) return 'integration';
  return 'device';
}

export function domainOf(entityId: string): string {
  return entityId.slice(0, entityId.indexOf('.'));
}

/** "19:05" for a local minute of the day. */
export function clockTime(minuteOfDay: number): string {
  const minute = ((Math.round(minuteOfDay) % 1440) + 1440) % 1440;
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The local days of a window, by the quarter hour of the day at which they are in it. */
class WindowCalendar {
  /** Quarter of the day (0–95) → the window's instants at its start, with their local date. */
  private readonly quarters = new Map<number, Array<{ at: number; date: string }>>();

  readonly bounds: { startMs: number; endMs: number };

  constructor(startMs: number, endMs: number, readonly clock: LocalClock) {
    this.bounds = { startMs, endMs };
    const quarterMs = 15 * 60_000;
    for (let at = Math.ceil(startMs / quarterMs) * quarterMs; at < endMs; at += quarterMs) {
      const local = clock.at(at);
      const quarter = local.hour * 4 + local.quarterMinute / 15;
      const list = this.quarters.get(quarter) ?? [];
      // A quarter repeated when DST ends belongs to the same day once.
      if (list.at(-1)?.date !== local.date) list.push({ at, date: local.date });
      this.quarters.set(quarter, list);
    }
  }

  /** The local dates on which `minuteOfDay` falls inside the window. */
  datesAt(minuteOfDay: number): string[] {
    return (this.quarters.get(Math.floor(minuteOfDay / 15) % 96) ?? []).map((q) => q.date);
  }

  /** The window's instants at local `minuteOfDay` (a quarter-hour boundary). */
  instantsAt(minuteOfDay: number): number[] {
    return (this.quarters.get(Math.floor(minuteOfDay / 15) % 96) ?? []).map((q) => q.at);
  }
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * Person-made changes grouped by entity and new state, then by time of day: the densest span of
 * ±`HABIT_TOLERANCE_MINUTES` around a median time, counted once per day, is a habit when it holds
 * `HABIT_MIN_DAYS` days or more; the rest of the group is searched again for a second habit
 * (switched on in the morning *and* in the evening). Spans do not wrap around midnight.
 */
function manualHabits(changes: readonly StateChange[], calendar: WindowCalendar): ManualHabit[] {
  const groups = Map.groupBy(changes, (change) => `${change.entityId}\u0000${change.state}`);
  const habits: ManualHabit[] = [];
  for (const group of groups.values()) {
    let actions = group.map((change) => ({ minute: calendar.clock.minuteOfDay(change.at), date: calendar.clock.at(change.at).date })).sort((a, b) => a.minute - b.minute);
    while (actions.length >= HABIT_MIN_DAYS) {
      const cluster = densestSpan(actions);
      const days = new Set(cluster.map((a) => a.date));
      if (days.size < HABIT_MIN_DAYS) break;
      habits.push(habitOf(group[0], cluster, calendar));
      actions = actions.filter((a) => !cluster.includes(a));
    }
  }
  return habits.sort((a, b) => b.frequency - a.frequency || b.all.days - a.all.days || a.entityId.localeCompare(b.entityId));
}

type LocalAction = { minute: number; date: string };

/** The actions within ±tolerance of the median of the span of 2×tolerance minutes holding the most days. */
function densestSpan(actions: readonly LocalAction[]): LocalAction[] {
  let best: LocalAction[] = [];
  let bestDays = 0;
  for (let i = 0, j = 0; i < actions.length; i += 1) {
    while (j < actions.length && actions[j].minute <= actions[i].minute + 2 * HABIT_TOLERANCE_MINUTES) j += 1;
    const span = actions.slice(i, j);
    const days = new Set(span.map((a) => a.date)).size;
    if (days > bestDays) [best, bestDays] = [span, days];
  }
  const center = median(best.map((a) => a.minute));
  return actions.filter((a) => Math.abs(a.minute - center) <= HABIT_TOLERANCE_MINUTES);
}

function habitOf(change: StateChange, cluster: readonly LocalAction[], calendar: WindowCalendar): ManualHabit {
  const usual = median(cluster.map((a) => a.minute));
  const actionDays = new Set(cluster.map((a) => a.date));
  const windowDays = calendar.datesAt(usual);
  const count = (weekend: boolean | null): DayCount => {
    const of = windowDays.filter((d) => weekend === null || isWeekend(d) === weekend);
    return { days: [...actionDays].filter((d) => weekend === null || isWeekend(d) === weekend).length, of: of.length };
  };
  const [all, weekdays, weekends] = [count(null), count(false), count(true)];
  const rate = (c: DayCount) => (c.of > 0 ? c.days / c.of : 0);
  // One kind of day clearly dominating (three times the other's rate) makes it a weekday or weekend routine.
  const routine =
    weekends.of > 0 && rate(weekdays) >= 0.5 && rate(weekends) * 3 <= rate(weekdays)
      ? 'weekdays'
      : weekdays.of > 0 && rate(weekends) >= 0.5 && rate(weekdays) * 3 <= rate(weekends)
        ? 'weekends'
        : 'every day';
  const minutes = cluster.map((a) => a.minute);
  return {
    entityId: change.entityId,
    name: change.name,
    state: change.state,
    usualTime: clockTime(usual),
    earliest: clockTime(Math.min(...minutes)),
    latest: clockTime(Math.max(...minutes)),
    all,
    weekdays,
    weekends,
    routine,
    frequency: Math.min(1, rate(routine === 'weekdays' ? weekdays : routine === 'weekends' ? weekends : all)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Pairs of entities where one changed within `CO_CHANGE_WINDOW_MS` after the other, at least
 * `CO_CHANGE_MIN_TIMES` times (each change counts once per partner), most frequent first.
 */
function coChanges(changes: readonly StateChange[]): CoChange[] {
  const pairs = new Map<string, number>();
  const changeCounts = new Map<string, number>();
  const names = new Map<string, string>();
  for (let i = 0; i < changes.length; i += 1) {
    const { entityId, at } = changes[i];
    changeCounts.set(entityId, (changeCounts.get(entityId) ?? 0) + 1);
    names.set(entityId, changes[i].name);
    const partners = new Set<string>();
    for (let j = i + 1; j < changes.length && changes[j].at - at <= CO_CHANGE_WINDOW_MS; j += 1) {
      if (changes[j].entityId !== entityId) partners.add(changes[j].entityId);
    }
    for (const partner of partners) {
      const key = entityId < partner ? `${entityId} ${partner}` : `${partner} ${entityId}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  const entity = (entityId: string) => ({ entityId, name: names.get(entityId) ?? entityId });
  return [...pairs]
    .filter(([, times]) => times >= CO_CHANGE_MIN_TIMES)
    .map(([key, times]) => {
      const [first, second] = key.split(' ');
      const fewer = Math.min(changeCounts.get(first) ?? times, changeCounts.get(second) ?? times);
      return { first: entity(first), second: entity(second), times, share: Math.min(1, times / fewer) };
    })
    .sort((a, b) => b.times - a.times || a.first.entityId.localeCompare(b.first.entityId) || a.second.entityId.localeCompare(b.second.entityId));
}

/**
 * On-time and switch-ons of every controllable entity that was switched on or off in the window,
 * most hours first. The logbook holds changes only: the state before an entity's first change in
 * the window is the other one of on/off (a change to "off" means it was on).
 */
function deviceUsage(changes: readonly StateChange[], calendar: WindowCalendar): DeviceUsage[] {
  const byEntity = Map.groupBy(changes, (change) => change.entityId);
  const { startMs, endMs } = calendar.bounds;
  const nightChecks = calendar.instantsAt(NIGHT_CHECK_MINUTE);
  const usage: DeviceUsage[] = [];
  for (const [entityId, entityChanges] of byEntity) {
    if (!entityChanges.some((c) => c.state === 'on' || c.state === 'off')) continue;
    const intervals: Array<[number, number]> = [];
    let onSince: number | null = entityChanges[0].state === 'off' ? startMs : null;
    let cycles = 0;
    for (const change of entityChanges) {
      if (change.state === 'on' && onSince === null) {
        onSince = change.at;
        cycles += 1;
      } else if (change.state !== 'on' && onSince !== null) {
        intervals.push([onSince, change.at]);
        onSince = null;
      }
    }
    if (onSince !== null) intervals.push([onSince, endMs]);
    const onMs = intervals.reduce((sum, [from, to]) => sum + (to - from), 0);
    const nightsLeftOn = nightChecks.filter((at) => intervals.some(([from, to]) => from <= at && at < to)).length;
    usage.push({ entityId, name: entityChanges[0].name, onHours: Math.round(onMs / 36_000) / 100, cycles, nightsLeftOn });
  }
  return usage.sort((a, b) => b.onHours - a.onHours || a.entityId.localeCompare(b.entityId));
}

/**
 * Automation effectiveness: per automation, its runs (logbook "triggered" rows: an entity of the
 * automation domain and no state), the changes it made, and how many of those a person undid — the
 * entity's next change, within `OVERRIDE_WINDOW_MS`, made by a person and to another state.
 */
function automationEffects(entries: readonly HaLogbookEntry[], changes: readonly StateChange[], startMs: number, endMs: number): AutomationEffect[] {
  const effects = new Map<string, AutomationEffect & { counts: Map<string, number> }>();
  const effectOf = (entityId: string, name: string) => {
    let effect = effects.get(entityId);
    if (!effect) effects.set(entityId, (effect = { entityId, name, runs: 0, changes: 0, overrides: 0, entities: [], counts: new Map() }));
    return effect;
  };
  for (const entry of entries) {
    if (typeof entry.entity_id !== 'string' || domainOf(entry.entity_id) !== 'automation' || typeof entry.state === 'string') continue;
    const at = typeof entry.when === 'number' ? entry.when * 1000 : Date.parse(entry.when);
    if (Number.isFinite(at) && at >= startMs && at < endMs) effectOf(entry.entity_id, entry.name || entry.entity_id).runs += 1;
  }
  const byEntity = Map.groupBy(changes, (change) => change.entityId);
  for (const entityChanges of byEntity.values()) {
    entityChanges.forEach((change, i) => {
      if (!change.by) return;
      const effect = effectOf(change.by.entityId, change.by.name);
      effect.changes += 1;
      effect.counts.set(change.entityId, (effect.counts.get(change.entityId) ?? 0) + 1);
      const next = entityChanges[i + 1];
      if (next && next.actor === 'person' && next.state !== change.state && next.at - change.at <= OVERRIDE_WINDOW_MS) effect.overrides += 1;
    });
  }
  return [...effects.values()]
    .map(({ counts, ...effect }) => ({ ...effect, entities: [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([entityId]) => entityId) }))
    .sort((a, b) => b.overrides - a.overrides || b.changes - a.changes || a.entityId.localeCompare(b.entityId));
}
