import type {
  HaAreaRegistryEntry,
  HaConfigCheckResult,
  HaConfigEntry,
  HaDeviceRegistryEntry,
  HaEntityRegistryEntry,
  HaEntityState,
  HaHistoryState,
} from '@aether/home-assistant';
import { LocalClock } from '../energy/local-clock';

/** States in which HA has no reading of an entity. */
const DOWN_STATES: ReadonlySet<string> = new Set(['unavailable', 'unknown']);
/** Config entry states of an integration that is not working (HA's `ConfigEntryState`). */
const FAILED_ENTRY_STATES: ReadonlySet<string> = new Set(['setup_error', 'setup_retry', 'migration_error', 'failed_unload']);
/** A recurring outage: on at least this many local days, and on at least this share of the window's days. */
const PATTERN_MIN_DAYS = 3;
const PATTERN_MIN_SHARE = 0.5;
/** … starting within this many minutes of each other (of the day). */
const PATTERN_MAX_START_SPREAD = 180;
/** A sensor that normally changes at least this often (changes per day) and has not for STALE_HOURS is stale. */
const STALE_HOURS = 24;
const STALE_MIN_CHANGES_PER_DAY = 2;
/** Battery % below which a battery is low. */
export const LOW_BATTERY_PERCENT = 20;
/**
 * An error-log line within this many minutes of an outage's start is read as about it (the log line
 * and the recorded state change can be a poll interval apart).
 */
const LOG_MATCH_MINUTES = 6;
/** Domains whose entities are `unknown` by design until first used (a scene never activated, a button never pressed). */
const STATELESS_DOMAINS: ReadonlySet<string> = new Set(['scene', 'button', 'input_button', 'event', 'notify', 'tts', 'conversation', 'stt']);
/** Sensors that always fluctuate while they work: a flat one has stopped. Meters and power sensors may rightly stay flat. */
const FLUCTUATING_DEVICE_CLASSES: ReadonlySet<string> = new Set([
  'temperature', 'humidity', 'pressure', 'atmospheric_pressure', 'illuminance', 'carbon_dioxide', 'pm25', 'pm10', 'volatile_organic_compounds', 'signal_strength', 'voltage', 'moisture',
]);

/** Why a Home Assistant serves no error log: Supervised and HA OS installs keep it in the Supervisor. */
export const ERROR_LOG_NOT_SERVED = 'Supervised and HA OS installs keep it in the Supervisor';
/** Why HA refused its error log: it is admin-only. */
export const ERROR_LOG_NEEDS_ADMIN = "the HA token's user is not an administrator";

export interface DiagnosticInput {
  states: HaEntityState[];
  entityRegistry: HaEntityRegistryEntry[];
  deviceRegistry: HaDeviceRegistryEntry[];
  areaRegistry: HaAreaRegistryEntry[];
  configEntries: HaConfigEntry[];
  /** `GET /api/error_log`; null where HA gave none (`errorLogUnavailable` says why). */
  errorLog: string | null;
  errorLogUnavailable?: string;
  /** HA's config check; null when it could not be run (`configCheckFailure` says why). */
  configCheck: HaConfigCheckResult | null;
  configCheckFailure?: string;
  /** Minimal history of the window, one series per entity. */
  history: HaHistoryState[][];
  start: number;
  end: number;
  timeZone: string;
}

/** One stretch of time an entity had no reading. */
export interface Outage {
  from: string;
  /** Absent while it lasts. */
  to?: string;
  minutes: number;
  /** It was already down when the window began (its start is unknown). */
  startedBeforeWindow: boolean;
}

/** The time of day an entity's outages recur at, computed from their starts and ends (local time). */
export interface OutagePattern {
  /** "night" when the outages start between 21:00 and 06:00. */
  when: 'night' | 'day';
  days: number;
  windowDays: number;
  earliestStart: string;
  latestEnd: string;
  medianStart: string;
  medianEnd: string;
  averageMinutes: number;
}

export interface EntityOutages {
  entityId: string;
  name: string;
  state: string;
  /** Currently without a reading. */
  down: boolean;
  outages: Outage[];
  totalMinutes: number;
  pattern?: OutagePattern;
  deviceId?: string;
  deviceName?: string;
  area?: string;
  integration?: string;
  configEntryId?: string;
  /** Error-log lines written within minutes of the outages' starts, of the outages the log covers. */
  logLines: { count: number; outagesMatched: number; outagesLogged: number; sample?: string; logger?: string };
}

/** Entities that go down together: a device, an integration or an area. */
export interface CommonCause {
  kind: 'device' | 'integration' | 'area';
  id: string;
  name: string;
  entities: string[];
  /** Of the device's/integration's/area's entities, how many are affected. */
  of: number;
  /** Share of outage starts that begin within 5 minutes of another member's outage start. */
  together: number;
}

export interface FailingIntegration {
  entryId: string;
  domain: string;
  title: string;
  state: string;
  reason: string | null;
  entities: string[];
  /** null: the error log is not available. */
  logLines: { count: number; first?: string; last?: string; sample?: string; logger?: string } | null;
}

export interface StaleSensor {
  entityId: string;
  name: string;
  state: string;
  lastChanged: string;
  hoursSinceChange: number;
  changesPerDayBefore: number;
}

export interface LowBattery {
  entityId: string;
  name: string;
  percent: number | null;
  deviceName?: string;
  /** Drain over the window, % per day (from history), when it fell. */
  drainPerDay?: number;
  /** Days until empty at that drain. */
  daysLeft?: number;
}

export interface DiagnosticFigures {
  window: { start: string; end: string; hours: number };
  timeZone: string;
  entities: number;
  unavailableNow: number;
  unknownNow: number;
  outages: EntityOutages[];
  commonCauses: CommonCause[];
  failingIntegrations: FailingIntegration[];
  staleSensors: StaleSensor[];
  lowBatteries: LowBattery[];
  /** `unavailable`: why there is none (no error log on this install, or no rights to read it). */
  errorLog: { available: boolean; lines: number; errors: number; warnings: number; unavailable?: string };
  configCheck: { result: 'valid' | 'invalid' | 'not_checked'; errors: string | null; warnings: string | null; failure?: string };
}

interface LogLine {
  date: string;
  minute: number;
  time: string;
  level: string;
  logger: string;
  message: string;
}

const LOG_LINE = /^(\d{4}-\d\d-\d\d) (\d\d):(\d\d):(\d\d(?:\.\d+)?) ([A-Z]+) \(([^)]*)\) \[([^\]]+)\] (.*)$/;

/** Lines of HA's `home-assistant.log` (timestamps are HA's local time); continuation lines (tracebacks) are skipped. */
export function parseErrorLog(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LOG_LINE.exec(raw);
    if (!m) continue;
    lines.push({ date: m[1], minute: Number(m[2]) * 60 + Number(m[3]), time: `${m[1]} ${m[2]}:${m[3]}:${m[4].slice(0, 2)}`, level: m[5], logger: m[7], message: m[8] });
  }
  return lines;
}

/** A log line's logger belongs to an integration: `roborock.web_api`, `homeassistant.components.zha.core`, `custom_components.x`. */
function loggerOf(domain: string, logger: string): boolean {
  return logger === domain || logger.startsWith(`${domain}.`) || new RegExp(`(?:^|\\.)(?:components|custom_components)\\.${domain}(?:\\.|$)`).test(logger);
}

/** Everything the diagnostic analyst computes, from HA's own data. */
export function computeDiagnostics(input: DiagnosticInput): DiagnosticFigures {
  const { clock } = LocalClock.forZone(input.timeZone);
  const statesById = new Map(input.states.map((s) => [s.entity_id, s]));
  const registry = new Map(input.entityRegistry.map((e) => [e.entity_id, e]));
  const devices = new Map(input.deviceRegistry.map((d) => [d.id, d]));
  const areas = new Map(input.areaRegistry.map((a) => [a.area_id, a.name]));
  const entries = new Map(input.configEntries.map((e) => [e.entry_id, e]));
  const log = input.errorLog === null ? null : parseErrorLog(input.errorLog);
  const windowDays = Math.max(1, Math.round((input.end - input.start) / 86_400_000));
  const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(Math.floor(minute % 60)).padStart(2, '0')}`;
  const nameOf = (entityId: string) => {
    const friendly = statesById.get(entityId)?.attributes['friendly_name'];
    return typeof friendly === 'string' && friendly ? friendly : entityId;
  };
  const deviceOf = (entityId: string) => {
    const deviceId = registry.get(entityId)?.device_id;
    return deviceId ? devices.get(deviceId) : undefined;
  };

  const series = seriesById(input.history);
  const outages: EntityOutages[] = [];
  for (const [entityId, points] of series) {
    if (STATELESS_DOMAINS.has(entityId.split('.')[0])) continue;
    const found = outagesOf(points, input.start, input.end);
    const current = statesById.get(entityId);
    const down = current !== undefined && DOWN_STATES.has(current.state);
    if (found.length === 0 && !down) continue;
    const entry = registry.get(entityId);
    const device = deviceOf(entityId);
    const areaId = entry?.area_id ?? device?.area_id ?? null;
    const timed = found.filter((o) => !o.startedBeforeWindow);
    const pattern = patternOf(timed, windowDays, clock, hhmm);
    const matched = log ? logLinesNear(log, timed, clock, entry?.platform) : { count: 0, outagesMatched: 0, outagesLogged: 0 };
    outages.push({
      entityId,
      name: nameOf(entityId),
      state: current?.state ?? 'not in states',
      down,
      outages: found.map((o) => ({ from: iso(o.from), ...(o.to !== undefined ? { to: iso(o.to) } : {}), minutes: round1((( o.to ?? input.end) - o.from) / 60_000), startedBeforeWindow: o.startedBeforeWindow })),
      totalMinutes: round1(found.reduce((sum, o) => sum + ((o.to ?? input.end) - o.from), 0) / 60_000),
      ...(pattern ? { pattern } : {}),
      ...(device ? { deviceId: device.id, deviceName: device.name_by_user ?? device.name ?? device.id } : {}),
      ...(areaId ? { area: areas.get(areaId) ?? areaId } : {}),
      ...(entry?.platform ? { integration: entry.platform } : {}),
      ...(entry?.config_entry_id ? { configEntryId: entry.config_entry_id } : {}),
      logLines: matched,
    });
  }
  // Entities down now that history did not cover (not asked for, or not recorded).
  for (const state of input.states) {
    if (!DOWN_STATES.has(state.state) || series.has(state.entity_id) || STATELESS_DOMAINS.has(state.entity_id.split('.')[0])) continue;
    const entry = registry.get(state.entity_id);
    const device = deviceOf(state.entity_id);
    const areaId = entry?.area_id ?? device?.area_id ?? null;
    const since = Date.parse(state.last_changed);
    outages.push({
      entityId: state.entity_id,
      name: nameOf(state.entity_id),
      state: state.state,
      down: true,
      outages: [{ from: iso(since), minutes: round1((input.end - since) / 60_000), startedBeforeWindow: since < input.start }],
      totalMinutes: round1((input.end - Math.max(since, input.start)) / 60_000),
      ...(device ? { deviceId: device.id, deviceName: device.name_by_user ?? device.name ?? device.id } : {}),
      ...(areaId ? { area: areas.get(areaId) ?? areaId } : {}),
      ...(entry?.platform ? { integration: entry.platform } : {}),
      ...(entry?.config_entry_id ? { configEntryId: entry.config_entry_id } : {}),
      logLines: { count: 0, outagesMatched: 0, outagesLogged: 0 },
    });
  }
  outages.sort((a, b) => b.outages.length - a.outages.length || b.totalMinutes - a.totalMinutes || a.entityId.localeCompare(b.entityId));

  const failingIntegrations: FailingIntegration[] = input.configEntries
    .filter((e) => FAILED_ENTRY_STATES.has(e.state) && !e.disabled_by)
    .map((e) => {
      // The integration's own loggers, and HA's config-entry lines about it ("… for roborock integration not ready yet").
      const lines = log?.filter(
        (l) => (loggerOf(e.domain, l.logger) || l.message.includes(`for ${e.domain} integration`)) && (l.level === 'ERROR' || l.level === 'WARNING' || l.level === 'CRITICAL'),
      );
      return {
        entryId: e.entry_id,
        domain: e.domain,
        title: e.title,
        state: e.state,
        reason: e.reason,
        entities: input.entityRegistry.filter((r) => r.config_entry_id === e.entry_id).map((r) => r.entity_id).sort(),
        logLines: lines
          ? { count: lines.length, ...(lines.length ? { first: lines[0].time, last: lines.at(-1)!.time, sample: mostCommon(lines.map((l) => l.message)), logger: mostCommon(lines.map((l) => l.logger)) } : {}) }
          : null,
      };
    });

  return {
    window: { start: iso(input.start), end: iso(input.end), hours: round1((input.end - input.start) / 3_600_000) },
    timeZone: clock.timeZone,
    entities: input.states.length,
    unavailableNow: input.states.filter((s) => s.state === 'unavailable').length,
    unknownNow: input.states.filter((s) => s.state === 'unknown' && !STATELESS_DOMAINS.has(s.entity_id.split('.')[0])).length,
    outages,
    commonCauses: commonCauses(outages, input, entries, devices, areas),
    failingIntegrations,
    staleSensors: staleSensors(input.states, series, input.start, input.end, nameOf),
    lowBatteries: lowBatteries(input.states, series, input.start, input.end, nameOf, (id) => {
      const d = deviceOf(id);
      return d ? d.name_by_user ?? d.name ?? undefined : undefined;
    }),
    errorLog: log
      ? { available: true, lines: log.length, errors: log.filter((l) => l.level === 'ERROR' || l.level === 'CRITICAL').length, warnings: log.filter((l) => l.level === 'WARNING').length }
      : { available: false, lines: 0, errors: 0, warnings: 0, unavailable: input.errorLogUnavailable ?? ERROR_LOG_NOT_SERVED },
    configCheck: input.configCheck
      ? { result: input.configCheck.result, errors: input.configCheck.errors, warnings: input.configCheck.warnings }
      : { result: 'not_checked', errors: null, warnings: null, ...(input.configCheckFailure ? { failure: input.configCheckFailure } : {}) },
  };
}

interface Point {
  state: string;
  at: number;
}

/** History series by entity id (with `minimal_response` only the first state names the entity). */
function seriesById(history: HaHistoryState[][]): Map<string, Point[]> {
  const byId = new Map<string, Point[]>();
  for (const list of history) {
    const entityId = list[0]?.entity_id;
    if (!entityId) continue;
    byId.set(entityId, list.map((s) => ({ state: s.state, at: Date.parse(s.last_changed) })).sort((a, b) => a.at - b.at));
  }
  return byId;
}

interface RawOutage {
  from: number;
  to?: number;
  startedBeforeWindow: boolean;
}

/** Stretches of a series in `unavailable`/`unknown`, clipped to the window. */
export function outagesOf(points: readonly Point[], start: number, end: number): RawOutage[] {
  const found: RawOutage[] = [];
  let open: RawOutage | undefined;
  for (const point of points) {
    const down = DOWN_STATES.has(point.state);
    if (down && !open) {
      open = { from: Math.max(point.at, start), startedBeforeWindow: point.at <= start };
    } else if (!down && open) {
      found.push({ ...open, to: Math.min(point.at, end) });
      open = undefined;
    }
  }
  if (open) found.push(open);
  return found;
}

/** The time of day outages recur at, when they do: on enough days, starting at about the same time. */
function patternOf(timed: RawOutage[], windowDays: number, clock: LocalClock, hhmm: (m: number) => string): OutagePattern | undefined {
  const ended = timed.filter((o) => o.to !== undefined);
  if (ended.length < PATTERN_MIN_DAYS) return undefined;
  const days = new Set(ended.map((o) => clock.at(o.from).date)).size;
  if (days < PATTERN_MIN_DAYS || days / windowDays < PATTERN_MIN_SHARE) return undefined;
  // Minutes of the day, unwrapped around the earliest start so a 23:50–00:20 outage stays contiguous.
  const spread = (minutes: number[]) => Math.max(...minutes) - Math.min(...minutes);
  const starts = ended.map((o) => clock.minuteOfDay(o.from));
  const unwrapped = spread(starts) <= PATTERN_MAX_START_SPREAD ? starts : starts.map((m) => (m < 720 ? m + 1440 : m));
  if (spread(unwrapped) > PATTERN_MAX_START_SPREAD) return undefined;
  const first = Math.min(...unwrapped);
  const ends = ended.map((o, i) => unwrapped[i] + (o.to! - o.from) / 60_000);
  const durations = ended.map((o) => (o.to! - o.from) / 60_000);
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const medianStart = median(unwrapped) % 1440;
  return {
    when: medianStart >= 21 * 60 || medianStart < 6 * 60 ? 'night' : 'day',
    days,
    windowDays,
    earliestStart: hhmm(first),
    latestEnd: hhmm(Math.max(...ends)),
    medianStart: hhmm(medianStart),
    medianEnd: hhmm(median(ends)),
    averageMinutes: round1(durations.reduce((a, b) => a + b, 0) / durations.length),
  };
}

/** Log lines (of the entity's integration, when known) written within minutes of an outage's start. */
function logLinesNear(log: LogLine[], timed: RawOutage[], clock: LocalClock, platform: string | undefined): EntityOutages['logLines'] {
  const near = new Set<LogLine>();
  let outagesMatched = 0;
  let outagesLogged = 0;
  // The log starts at HA's last restart: outages before its first line cannot have lines.
  const first = log[0];
  for (const outage of timed) {
    const date = clock.at(outage.from).date;
    const minute = clock.minuteOfDay(outage.from);
    if (!first || date < first.date || (date === first.date && minute < first.minute)) continue;
    outagesLogged += 1;
    const lines = log.filter((l) => l.date === date && Math.abs(l.minute - Math.floor(minute)) <= LOG_MATCH_MINUTES && (!platform || loggerOf(platform, l.logger)));
    if (lines.length > 0) outagesMatched += 1;
    for (const line of lines) near.add(line);
  }
  const lines = [...near];
  return { count: lines.length, outagesMatched, outagesLogged, ...(lines.length ? { sample: mostCommon(lines.map((l) => l.message)), logger: mostCommon(lines.map((l) => l.logger)) } : {}) };
}

function commonCauses(
  outages: EntityOutages[],
  input: DiagnosticInput,
  entries: Map<string, HaConfigEntry>,
  devices: Map<string, HaDeviceRegistryEntry>,
  areas: Map<string, string>,
): CommonCause[] {
  const causes: CommonCause[] = [];
  const group = (kind: CommonCause['kind'], keyOf: (o: EntityOutages) => string | undefined, nameOf: (id: string) => string, countOf: (id: string) => number) => {
    const groups = new Map<string, EntityOutages[]>();
    for (const o of outages) {
      const key = keyOf(o);
      if (key) groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    for (const [id, members] of groups) {
      if (members.length < 2) continue;
      causes.push({ kind, id, name: nameOf(id), entities: members.map((m) => m.entityId).sort(), of: countOf(id), together: round2(togetherShare(members)) });
    }
  };
  const registry = input.entityRegistry;
  const deviceOfEntry = (e: HaEntityRegistryEntry) => (e.device_id ? devices.get(e.device_id) : undefined);
  group('device', (o) => o.deviceId, (id) => devices.get(id)?.name_by_user ?? devices.get(id)?.name ?? id, (id) => registry.filter((e) => e.device_id === id).length);
  // An integration or area groups entities of more than one device: otherwise the device says it already.
  const acrossDevices = (kind: CommonCause['kind'], keyOf: (o: EntityOutages) => string | undefined, nameOf: (id: string) => string, countOf: (id: string) => number) => {
    const before = causes.length;
    group(kind, keyOf, nameOf, countOf);
    for (let i = causes.length - 1; i >= before; i -= 1) {
      const deviceIds = new Set(causes[i].entities.map((id) => outages.find((o) => o.entityId === id)?.deviceId ?? id));
      if (deviceIds.size < 2) causes.splice(i, 1);
    }
  };
  acrossDevices('integration', (o) => o.configEntryId, (id) => entries.get(id)?.title ?? id, (id) => registry.filter((e) => e.config_entry_id === id).length);
  acrossDevices(
    'area',
    (o) => o.area,
    (name) => name,
    (name) => registry.filter((e) => { const a = e.area_id ?? deviceOfEntry(e)?.area_id; return a !== null && a !== undefined && areas.get(a) === name; }).length,
  );
  return causes;
}

/** Share of the members' outage starts within 5 minutes of another member's outage start. */
function togetherShare(members: EntityOutages[]): number {
  const starts = members.map((m) => m.outages.filter((o) => !o.startedBeforeWindow).map((o) => Date.parse(o.from)));
  let total = 0;
  let together = 0;
  starts.forEach((mine, i) => {
    for (const at of mine) {
      total += 1;
      if (starts.some((other, j) => j !== i && other.some((t) => Math.abs(t - at) <= 5 * 60_000))) together += 1;
    }
  });
  return total === 0 ? 1 : together / total;
}

function staleSensors(states: HaEntityState[], series: Map<string, Point[]>, start: number, end: number, nameOf: (id: string) => string): StaleSensor[] {
  const stale: StaleSensor[] = [];
  for (const state of states) {
    if (!state.entity_id.startsWith('sensor.') || DOWN_STATES.has(state.state) || !Number.isFinite(Number(state.state))) continue;
    if (!FLUCTUATING_DEVICE_CLASSES.has(String(state.attributes['device_class']))) continue;
    const lastChanged = Date.parse(state.last_changed);
    const hours = (end - lastChanged) / 3_600_000;
    if (hours <= STALE_HOURS) continue;
    // How often it changed before it stopped, from history: without changes in the window there is no evidence it normally changes.
    const points = (series.get(state.entity_id) ?? []).filter((p) => p.at > start && p.at < lastChanged && !DOWN_STATES.has(p.state));
    const days = (lastChanged - start) / 86_400_000;
    if (days < 1) continue;
    const perDay = points.length / days;
    if (perDay < STALE_MIN_CHANGES_PER_DAY) continue;
    // Never silent this long before in the window.
    const longestGapHours = points.reduce((gap, p, i) => Math.max(gap, i === 0 ? (p.at - start) : p.at - points[i - 1].at), 0) / 3_600_000;
    if (hours <= longestGapHours) continue;
    stale.push({ entityId: state.entity_id, name: nameOf(state.entity_id), state: state.state, lastChanged: iso(lastChanged), hoursSinceChange: round1(hours), changesPerDayBefore: round1(perDay) });
  }
  return stale.sort((a, b) => b.hoursSinceChange - a.hoursSinceChange);
}

function lowBatteries(
  states: HaEntityState[],
  series: Map<string, Point[]>,
  start: number,
  end: number,
  nameOf: (id: string) => string,
  deviceNameOf: (id: string) => string | undefined,
): LowBattery[] {
  const low: LowBattery[] = [];
  for (const state of states) {
    if (state.attributes['device_class'] !== 'battery') continue;
    const deviceName = deviceNameOf(state.entity_id);
    if (state.entity_id.startsWith('binary_sensor.')) {
      if (state.state === 'on') low.push({ entityId: state.entity_id, name: nameOf(state.entity_id), percent: null, ...(deviceName ? { deviceName } : {}) });
      continue;
    }
    const percent = Number(state.state);
    if (!state.entity_id.startsWith('sensor.') || state.attributes['unit_of_measurement'] !== '%' || !Number.isFinite(percent) || percent >= LOW_BATTERY_PERCENT) continue;
    const readings = (series.get(state.entity_id) ?? []).filter((p) => Number.isFinite(Number(p.state)) && p.state !== '');
    let drain: Pick<LowBattery, 'drainPerDay' | 'daysLeft'> = {};
    if (readings.length >= 2) {
      const first = readings[0];
      const days = (end - Math.max(first.at, start)) / 86_400_000;
      const perDay = (Number(first.state) - percent) / days;
      if (days >= 1 && perDay > 0) drain = { drainPerDay: round2(perDay), daysLeft: Math.floor(percent / perDay) };
    }
    low.push({ entityId: state.entity_id, name: nameOf(state.entity_id), percent, ...(deviceName ? { deviceName } : {}), ...drain });
  }
  return low.sort((a, b) => (a.percent ?? -1) - (b.percent ?? -1));
}

const NAME_STOPWORDS: ReadonlySet<string> = new Set([
  'why', 'is', 'are', 'my', 'the', 'a', 'an', 'not', 'working', 'unavailable', 'unknown', 'offline', 'down', 'what', 'wrong', 'with', 'does', 'doesn', 't',
  'keep', 'keeps', 'going', 'dropping', 'drop', 'out', 'off', 'on', 'in', 'of', 'it', 'happened', 'to', 'has', 'been', 'broken', 'dead', 'failing', 'please',
  'diagnose', 'check', 'can', 'you', 'tell', 'me', 'how', 'come', 'always', 'every', 'night', 'again', 'stopped', 'stop', 'reporting',
]);

/**
 * The entities a question names ("Why is my garage sensor unavailable?"), resolved through states'
 * friendly names and device names: every remaining word of the question must appear in the name.
 * A device's name names all its entities. Empty when the question names none.
 */
export function resolveNamedEntities(query: string, states: HaEntityState[], entityRegistry: HaEntityRegistryEntry[], deviceRegistry: HaDeviceRegistryEntry[]): string[] {
  const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const asked = nameWords(query);
  if (asked.length === 0) return [];
  const idWords = (entityId: string) => words(entityId.split('.')[1] ?? '');
  const covers = (name: string[]) => asked.every((w) => name.includes(w) || name.includes(w.replace(/s$/, '')));
  const byName = new Set<string>();
  for (const state of states) {
    const friendly = typeof state.attributes['friendly_name'] === 'string' ? (state.attributes['friendly_name'] as string) : '';
    if (covers(words(friendly)) || covers(idWords(state.entity_id))) byName.add(state.entity_id);
  }
  const known = new Set(states.map((s) => s.entity_id));
  const byDevice = new Set<string>();
  for (const device of deviceRegistry) {
    if (!covers(words(device.name_by_user ?? device.name ?? ''))) continue;
    for (const entry of entityRegistry) if (entry.device_id === device.id && known.has(entry.entity_id)) byDevice.add(entry.entity_id);
  }
  // A device's name is the closer match ("garage sensor" is the device, not every sensor called "garage … sensor …").
  const matched = byDevice.size > 0 ? byDevice : byName;
  return [...matched].sort();
}

/** The words of a question that name something ("garage sensor" in "Why is my garage sensor unavailable?"). */
export function nameWords(query: string): string[] {
  return (query.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !NAME_STOPWORDS.has(w));
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
