import { randomUUID } from 'node:crypto';
import type {
  HaAutomationConfig,
  HaContext,
  HaEntityRegistryEntry,
  HaEntityState,
  HaHistoryState,
  HaLogbookEntry,
  HaLovelaceConfig,
  HaSceneConfig,
  HaScriptConfig,
  HaServiceDescription,
} from '@aether/home-assistant';
import { validateHelperConfig, type HaHelperDomain, type HaHelperItem } from '@aether/home-assistant';
import type { HistoryRequest } from '../history/history-request';
import type { HomeModel, HomeRegistries, LogbookRequest, StatisticsRequest } from '../model/home-model';
import { formatHaTimestamp } from '../time/ha-datetime';
import { mergeConfig, slugify, validateConfig, type ConfigKind } from './config-schemas';
import { ENTITY_SERVICES, type EntityChange } from './entity-services';
import { helperEntityChange, helperItemOf } from './helper-collections';
import { ServiceDataError, ServiceNotFoundError, ServiceValidationError } from './service-errors';
import { newContext } from './service-context';
import { resolveTargets } from './service-targets';
import { mergeTimeline, type StateSegment, type TimelineRow } from './state-segment';

export interface ServiceCallResult {
  /** The states that changed during the call (HA's `changed_states`). */
  changed: HaEntityState[];
  context: HaContext;
  /** Only with `returnResponse` on a service that responds. */
  response?: Record<string, unknown>;
}

export interface ServiceCallOptions {
  returnResponse?: boolean;
  /** The calling context (a script step runs in a child of its script's context). */
  parent?: HaContext;
}

/** Keys of service data that select entities rather than configure the service. */
const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'] as const;
const TOGGLES = ['turn_on', 'turn_off', 'toggle'];
/** What `homeassistant.turn_on/turn_off` mean for domains whose services are named otherwise. */
const GENERIC_SERVICE_ALIASES: Record<string, Record<string, string>> = {
  cover: { turn_on: 'open_cover', turn_off: 'close_cover' },
};
/** Scripts calling scripts calling scripts… HA stops at a depth too; so does the demo. */
const MAX_ACTION_DEPTH = 8;

interface LogbookOverlayEntry {
  atMs: number;
  entry: HaLogbookEntry;
}

/**
 * The home as its API shows it: the read-only `HomeModel` with what was changed through the API
 * laid over it (`StateSegment` — see its rule), config writes and dashboard saves. Service calls
 * change states for real; the changes appear in states, history and the logbook with the call's
 * context. Implements `HomeModel` itself, so the server reads everything through this one object.
 */
/** A storage-mode dashboard as HA's `lovelace/dashboards/list` shows it. */
export interface LovelaceDashboardItem {
  id: string;
  url_path: string;
  title: string;
  icon?: string;
  show_in_sidebar: boolean;
  require_admin: boolean;
  mode: 'storage';
}

export class LiveHome implements HomeModel {
  private readonly segmentsById = new Map<string, StateSegment[]>();
  /** Entities made by config writes (new automations/scripts/scenes): they exist only here. */
  private readonly addedIds = new Set<string>();
  /** Entities whose config was deleted, with when. */
  private readonly removedAt = new Map<string, number>();
  private readonly addedRegistry = new Map<string, HaEntityRegistryEntry>();
  private readonly logbookOverlay: LogbookOverlayEntry[] = [];
  private automations: HaAutomationConfig[] | undefined;
  private scripts: Record<string, HaScriptConfig> | undefined;
  private scenes: HaSceneConfig[] | undefined;
  private lovelaceConfig: HaLovelaceConfig | null | undefined;
  /** Dashboards created with `lovelace/dashboards/create`, by url path: HA's storage-mode item and its config (null until saved). */
  private readonly dashboards = new Map<string, { item: LovelaceDashboardItem; config: HaLovelaceConfig | null }>();
  /** The storage helpers by domain: item id → its config and the entity it shows as. */
  private helpers: Map<HaHelperDomain, Map<string, { item: HaHelperItem; entityId: string }>> | undefined;

  constructor(readonly model: HomeModel) {}

  get calendar() {
    return this.model.calendar;
  }

  coreConfig() {
    return this.model.coreConfig();
  }
  statistics(request: StatisticsRequest, nowMs: number) {
    return this.model.statistics(request, nowMs);
  }
  statisticIds() {
    return this.model.statisticIds();
  }
  energyPrefs() {
    return this.model.energyPrefs();
  }
  configEntries() {
    return this.model.configEntries();
  }
  errorLog(nowMs: number) {
    return this.model.errorLog(nowMs);
  }

  // ── states ────────────────────────────────────────────────────────────────────────────────

  states(nowMs: number): HaEntityState[] {
    const result: HaEntityState[] = [];
    for (const base of this.model.states(nowMs)) {
      if (this.isRemoved(base.entity_id, nowMs)) continue;
      result.push(this.overlaid(base.entity_id, base, nowMs) ?? base);
    }
    for (const entityId of this.addedIds) {
      const state = this.overlaid(entityId, undefined, nowMs);
      if (state && !this.isRemoved(entityId, nowMs)) result.push(state);
    }
    return result;
  }

  state(entityId: string, nowMs: number): HaEntityState | undefined {
    if (this.isRemoved(entityId, nowMs)) return undefined;
    const base = this.addedIds.has(entityId) ? undefined : this.model.state(entityId, nowMs);
    if (!base && !this.addedIds.has(entityId)) return undefined;
    return this.overlaid(entityId, base, nowMs) ?? base;
  }

  private isRemoved(entityId: string, nowMs: number): boolean {
    const at = this.removedAt.get(entityId);
    return at !== undefined && at <= nowMs;
  }

  /** The override in effect at `nowMs`, as an HA state; undefined when the model's own state shows. */
  private overlaid(entityId: string, base: HaEntityState | undefined, nowMs: number): HaEntityState | undefined {
    const segments = this.segmentsById.get(entityId);
    if (!segments) return undefined;
    let segment: StateSegment | undefined;
    for (let i = segments.length - 1; i >= 0; i--) {
      if (segments[i].startMs <= nowMs) {
        segment = segments[i];
        break;
      }
    }
    if (!segment) return undefined;
    const endMs = this.segmentEnd(segment, base, nowMs);
    if (endMs !== undefined && endMs <= nowMs) return undefined;
    return {
      entity_id: entityId,
      state: segment.state,
      attributes: segment.attributes,
      last_changed: formatHaTimestamp(segment.lastChangedMs),
      last_reported: formatHaTimestamp(segment.startMs),
      last_updated: formatHaTimestamp(segment.startMs),
      context: segment.context,
    };
  }

  /** When the model's own state first changed after the override began (memoised once seen). */
  private segmentEnd(segment: StateSegment, base: HaEntityState | undefined, nowMs: number): number | undefined {
    if (segment.endMs !== undefined || segment.sticky) return segment.endMs;
    const current = base ?? this.model.state(segment.entityId, nowMs);
    if (!current || Date.parse(current.last_changed) <= segment.startMs) return undefined;
    // The model changed since; its first change after the override began is where the override ends.
    const [rows] = this.model.history(
      { startMs: segment.startMs, endMs: nowMs + 1, entityIds: [segment.entityId], includeStartTimeState: false, significantChangesOnly: true, minimalResponse: false, noAttributes: true },
      nowMs,
    );
    const firstChange = rows?.map((row) => Date.parse(row.last_changed)).find((at) => at > segment.startMs);
    segment.endMs = firstChange ?? Date.parse(current.last_changed);
    return segment.endMs;
  }

  /** Lays a new state over the entity from `nowMs` on; false when nothing would change (HA writes nothing then). */
  private write(entityId: string, change: EntityChange, nowMs: number, context: HaContext, options: { sticky?: boolean; cause?: StateSegment['cause']; added?: boolean } = {}): HaEntityState | undefined {
    const current = this.state(entityId, nowMs);
    if (current && current.state === change.state && JSON.stringify(current.attributes) === JSON.stringify(change.attributes)) return undefined;
    const segments = this.segmentsById.get(entityId) ?? [];
    const previous = segments[segments.length - 1];
    if (previous && (previous.endMs === undefined || previous.endMs > nowMs)) previous.endMs = nowMs;
    const lastChangedMs = current && current.state === change.state ? Date.parse(current.last_changed) : nowMs;
    const sticky = options.sticky ?? previous?.sticky ?? false;
    segments.push({ entityId, startMs: nowMs, state: change.state, attributes: change.attributes, lastChangedMs, context, sticky, cause: options.cause });
    this.segmentsById.set(entityId, segments);
    // An entity the model has (even one deleted earlier and now made again) is not an added one.
    if (options.added && !this.model.state(entityId, nowMs)) this.addedIds.add(entityId);
    this.removedAt.delete(entityId);
    if (options.cause && (!current || current.state !== change.state)) {
      this.logbookOverlay.push({
        atMs: nowMs,
        entry: {
          when: formatHaTimestamp(nowMs),
          name: String(change.attributes['friendly_name'] ?? entityId),
          state: change.state,
          entity_id: entityId,
          context_id: context.id,
          context_user_id: context.user_id,
          context_event_type: 'call_service',
          context_domain: options.cause.domain,
          context_service: options.cause.service,
        },
      });
    }
    return this.state(entityId, nowMs);
  }

  /**
   * `POST /api/states/<entity_id>`: sets the state HA shows for an entity (no device is touched),
   * creating the entity when it does not exist. Returns the state and whether it was created.
   */
  setState(entityId: string, state: string, attributes: Record<string, unknown> | undefined, nowMs: number): { state: HaEntityState; created: boolean } {
    const current = this.state(entityId, nowMs);
    const change = { state, attributes: attributes ?? current?.attributes ?? {} };
    // Like in HA, a state set over an entity its integration updates lasts until the next update;
    // an entity made this way has nothing else updating it.
    const written = this.write(entityId, change, nowMs, newContext(nowMs), { sticky: current ? undefined : true, added: !current });
    return { state: written ?? (current as HaEntityState), created: !current };
  }

  // ── history and logbook ───────────────────────────────────────────────────────────────────

  history(request: HistoryRequest, nowMs: number): HaHistoryState[][] {
    const touched = new Set(request.entityIds.filter((id) => this.segmentsById.has(id)));
    const untouched = request.entityIds.filter((id) => !touched.has(id));
    const baseSeries = untouched.length > 0 ? this.model.history({ ...request, entityIds: untouched }, nowMs) : [];
    if (touched.size === 0) return baseSeries;
    const byId = new Map(baseSeries.map((series) => [series[0]?.entity_id, series]));
    for (const id of touched) {
      const series = this.mergedSeries(id, request, nowMs);
      if (series.length > 0) byId.set(id, series);
    }
    return request.entityIds.map((id) => byId.get(id)).filter((series): series is HaHistoryState[] => series !== undefined);
  }

  private mergedSeries(entityId: string, request: HistoryRequest, nowMs: number): HaHistoryState[] {
    const segments = this.segmentsById.get(entityId) ?? [];
    for (const segment of segments) this.segmentEnd(segment, undefined, nowMs);
    const toMs = Math.min(request.endMs, nowMs + 1);
    const fromMs = request.startMs;
    const baseFrom = Math.min(fromMs, segments[0]?.startMs ?? fromMs);
    const [baseRaw] = this.addedIds.has(entityId)
      ? [[]]
      : this.model.history({ ...request, startMs: baseFrom, entityIds: [entityId], includeStartTimeState: true, minimalResponse: false, noAttributes: false }, nowMs);
    const baseRows: TimelineRow[] = (baseRaw ?? []).map((row) => ({ atMs: Date.parse(row.last_changed), state: row.state, attributes: row.attributes ?? {} }));
    const clippedFrom = Math.max(fromMs, baseRows[0]?.atMs ?? fromMs);
    let rows = mergeTimeline(baseRows, segments, clippedFrom, toMs);
    if (!request.includeStartTimeState && rows[0]?.atMs === clippedFrom && !baseRows.some((row, i) => i > 0 && row.atMs === clippedFrom) && !segments.some((s) => s.startMs === clippedFrom)) {
      rows = rows.slice(1);
    }
    return rows.map((row, index) => {
      const lastChanged = formatHaTimestamp(row.atMs);
      if (request.minimalResponse && index > 0) return { state: row.state, last_changed: lastChanged };
      return { entity_id: entityId, state: row.state, attributes: request.noAttributes ? {} : row.attributes, last_changed: lastChanged, last_updated: lastChanged };
    });
  }

  logbook(request: LogbookRequest, nowMs: number): HaLogbookEntry[] {
    const wanted = request.entityIds ? new Set(request.entityIds) : undefined;
    const base = this.model.logbook(request, nowMs).filter((entry) => !entry.entity_id || !this.overriddenAt(entry.entity_id, whenMs(entry.when), nowMs));
    const overlay = this.logbookOverlay
      .filter(({ atMs, entry }) => atMs >= request.startMs && atMs < request.endMs && atMs <= nowMs && (!wanted || (entry.entity_id !== undefined && wanted.has(entry.entity_id))))
      .map(({ entry }) => ({ ...entry }));
    if (overlay.length === 0) return base;
    return [...base, ...overlay].sort((a, b) => whenMs(a.when) - whenMs(b.when));
  }

  /** Whether an override hid the model's own state of the entity at `atMs` (its logbook entries then did not happen). */
  private overriddenAt(entityId: string, atMs: number, nowMs: number): boolean {
    const segments = this.segmentsById.get(entityId);
    if (!segments) return false;
    return segments.some((segment) => {
      const end = this.segmentEnd(segment, undefined, nowMs) ?? Infinity;
      return segment.startMs <= atMs && atMs < end;
    });
  }

  // ── registries, configs, dashboards ───────────────────────────────────────────────────────

  registries(): HomeRegistries {
    const base = this.model.registries();
    const entities = base.entities.filter((entry) => !this.removedAt.has(entry.entity_id));
    return { ...base, entities: [...entities, ...[...this.addedRegistry.values()].filter((entry) => !this.removedAt.has(entry.entity_id))] };
  }

  automationConfigs(): HaAutomationConfig[] {
    this.automations ??= structuredClone(this.model.automationConfigs());
    return this.automations;
  }
  scriptConfigs(): Record<string, HaScriptConfig> {
    this.scripts ??= structuredClone(this.model.scriptConfigs());
    return this.scripts;
  }
  sceneConfigs(): HaSceneConfig[] {
    this.scenes ??= structuredClone(this.model.sceneConfigs());
    return this.scenes;
  }
  lovelace(): HaLovelaceConfig | null {
    return this.lovelaceConfig === undefined ? this.model.lovelace() : this.lovelaceConfig;
  }

  saveLovelace(config: HaLovelaceConfig): void {
    this.lovelaceConfig = structuredClone(config);
  }

  /** `lovelace/config/delete` of the default dashboard: HA stores no config, and answers `config_not_found` after. */
  deleteLovelace(): void {
    this.lovelaceConfig = null;
  }

  lovelaceDashboards(): LovelaceDashboardItem[] {
    return [...this.dashboards.values()].map(({ item }) => structuredClone(item));
  }

  lovelaceDashboard(urlPath: string): { item: LovelaceDashboardItem; config: HaLovelaceConfig | null } | undefined {
    const dashboard = this.dashboards.get(urlPath);
    return dashboard && structuredClone(dashboard);
  }

  createLovelaceDashboard(item: LovelaceDashboardItem): void {
    this.dashboards.set(item.url_path, { item: structuredClone(item), config: null });
  }

  saveDashboardConfig(urlPath: string, config: HaLovelaceConfig | null): void {
    const dashboard = this.dashboards.get(urlPath);
    if (dashboard) dashboard.config = config && structuredClone(config);
  }

  deleteLovelaceDashboard(urlPath: string): void {
    this.dashboards.delete(urlPath);
  }

  /** `GET /api/config/<kind>/config/<id>`; undefined when there is none. */
  readConfig(kind: ConfigKind, id: string): HaAutomationConfig | HaScriptConfig | HaSceneConfig | undefined {
    switch (kind) {
      case 'automation':
        return this.automationConfigs().find((config) => config.id === id);
      case 'script':
        return Object.hasOwn(this.scriptConfigs(), id) ? this.scriptConfigs()[id] : undefined;
      case 'scene':
        return this.sceneConfigs().find((config) => config.id === id);
    }
  }

  /**
   * Validates and stores a config as HA's config view does (throws `ConfigMalformedError`); its
   * entity follows only on `reloadConfig`, as HA's reload runs after the write has answered.
   * Returns the stored config's key (an `id` in the body wins over the URL's).
   */
  storeConfig(kind: ConfigKind, key: string, body: unknown): string {
    const config = mergeConfig(kind, key, this.readConfig(kind, key), validateConfig(kind, key, body));
    switch (kind) {
      case 'automation':
        replaceOrAppend(this.automationConfigs(), (c) => c.id === key, config as HaAutomationConfig);
        return String(config['id']);
      case 'script':
        this.scriptConfigs()[key] = config as HaScriptConfig;
        return key;
      case 'scene':
        replaceOrAppend(this.sceneConfigs(), (c) => c.id === key, config as HaSceneConfig);
        return String(config['id']);
    }
  }

  /** Removes a stored config (its entity goes on `reloadConfig`); false when there was none. */
  deleteConfig(kind: ConfigKind, key: string): boolean {
    if (!this.readConfig(kind, key)) return false;
    switch (kind) {
      case 'automation':
        this.automations = this.automationConfigs().filter((config) => config.id !== key);
        break;
      case 'script':
        delete this.scriptConfigs()[key];
        break;
      case 'scene':
        this.scenes = this.sceneConfigs().filter((config) => config.id !== key);
        break;
    }
    return true;
  }

  /** HA's reload of one config: its entity appears, changes, or (config gone) disappears. */
  reloadConfig(kind: ConfigKind, id: string, nowMs: number): void {
    const config = this.readConfig(kind, id);
    const existingEntity = this.configEntityId(kind, id, nowMs);
    if (!config) {
      if (existingEntity) this.removedAt.set(existingEntity, nowMs);
      return;
    }
    const context = newContext(nowMs);
    const entityId = existingEntity ?? this.freshEntityId(kind, kind === 'script' ? id : String((config as { alias?: string; name?: string }).alias ?? (config as { name?: string }).name ?? id), nowMs);
    const current = existingEntity ? this.state(existingEntity, nowMs) : undefined;
    switch (kind) {
      case 'automation': {
        const automation = config as HaAutomationConfig;
        this.write(
          entityId,
          {
            state: current?.state ?? 'on',
            attributes: { id, last_triggered: current?.attributes['last_triggered'] ?? null, mode: automation.mode ?? 'single', current: 0, friendly_name: automation.alias ?? id },
          },
          nowMs,
          context,
          { sticky: true, added: !existingEntity },
        );
        break;
      }
      case 'script': {
        const script = config as HaScriptConfig;
        this.write(
          entityId,
          {
            state: current?.state ?? 'off',
            attributes: { last_triggered: current?.attributes['last_triggered'] ?? null, mode: script.mode ?? 'single', current: 0, ...(script.icon ? { icon: script.icon } : {}), friendly_name: script.alias ?? id },
          },
          nowMs,
          context,
          { sticky: true, added: !existingEntity },
        );
        break;
      }
      case 'scene': {
        const scene = config as HaSceneConfig;
        this.write(
          entityId,
          {
            state: current?.state ?? 'unknown',
            attributes: { entity_id: Object.keys(scene.entities), id, ...(scene.icon ? { icon: scene.icon } : {}), friendly_name: scene.name },
          },
          nowMs,
          context,
          { sticky: true, added: !existingEntity },
        );
        break;
      }
    }
    if (!existingEntity) {
      this.addedRegistry.set(entityId, registryEntry(entityId, id, kind, String(this.state(entityId, nowMs)?.attributes['friendly_name'] ?? id), nowMs));
    }
  }

  /** The entity a config shows as: automations and scenes carry their config id in `attributes.id`, scripts are `script.<id>`. */
  private configEntityId(kind: ConfigKind, id: string, nowMs: number): string | undefined {
    if (kind === 'script') return this.state(`script.${id}`, nowMs) ? `script.${id}` : undefined;
    return this.states(nowMs).find((state) => state.entity_id.startsWith(`${kind}.`) && state.attributes['id'] === id)?.entity_id;
  }

  private freshEntityId(domain: string, name: string, nowMs: number): string {
    const base = `${domain}.${slugify(name) || domain}`;
    const taken = new Set(this.states(nowMs).map((state) => state.entity_id));
    // A deleted entity's id is free again.
    const free = (id: string) => !taken.has(id) && (!this.addedIds.has(id) || this.removedAt.has(id));
    if (free(base)) return base;
    for (let n = 2; ; n++) if (free(`${base}_${n}`)) return `${base}_${n}`;
  }

  // ── helpers (HA's `input_…` storage collections) ──────────────────────────────────────────

  /** The UI-made helpers of a domain (`<domain>/list`): the house's editable ones and those created since. */
  helperItems(domain: HaHelperDomain, nowMs: number): HaHelperItem[] {
    return [...this.helperCollection(domain, nowMs).values()].map(({ item }) => structuredClone(item));
  }

  /**
   * `<domain>/create`: validates as HA does (throws `HelperInvalidError` with HA's message), picks
   * the id as HA's IDManager does (the name slugified, `_2`… when taken) and adds the entity at once:
   * HA's collection adds it before the command answers.
   */
  createHelper(domain: HaHelperDomain, data: Record<string, unknown>, nowMs: number): HaHelperItem {
    const verdict = validateHelperConfig(domain, data);
    if (!verdict.ok) throw new HelperInvalidError(verdict.reason);
    const collection = this.helperCollection(domain, nowMs);
    const base = slugify(verdict.config.name) || domain;
    let id = base;
    for (let n = 2; collection.has(id); n++) id = `${base}_${n}`;
    const item: HaHelperItem = { id, ...verdict.config };
    const entityId = this.freshEntityId(domain, verdict.config.name, nowMs);
    this.write(entityId, helperEntityChange(domain, item, this.coreConfig().time_zone), nowMs, newContext(nowMs), { sticky: true, added: true });
    this.addedRegistry.set(entityId, registryEntry(entityId, id, domain, item.name, nowMs));
    collection.set(id, { item, entityId });
    return structuredClone(item);
  }

  /** `<domain>/update`: HA replaces the item's config (validated like a create); undefined when there is no such item. */
  updateHelper(domain: HaHelperDomain, id: string, data: Record<string, unknown>, nowMs: number): HaHelperItem | undefined {
    const collection = this.helperCollection(domain, nowMs);
    const existing = collection.get(id);
    if (!existing) return undefined;
    if ('id' in data) throw new HelperInvalidError('Cannot update ID');
    const verdict = validateHelperConfig(domain, data);
    if (!verdict.ok) throw new HelperInvalidError(verdict.reason);
    const item: HaHelperItem = { id, ...verdict.config };
    this.write(existing.entityId, helperEntityChange(domain, item, this.coreConfig().time_zone, this.state(existing.entityId, nowMs)), nowMs, newContext(nowMs), { sticky: true });
    collection.set(id, { item, entityId: existing.entityId });
    return structuredClone(item);
  }

  /** `<domain>/delete`: the item, its entity and its registry entry go; false when there is no such item. */
  deleteHelper(domain: HaHelperDomain, id: string, nowMs: number): boolean {
    const collection = this.helperCollection(domain, nowMs);
    const existing = collection.get(id);
    if (!existing) return false;
    collection.delete(id);
    this.removedAt.set(existing.entityId, nowMs);
    return true;
  }

  private helperCollection(domain: HaHelperDomain, nowMs: number): Map<string, { item: HaHelperItem; entityId: string }> {
    this.helpers ??= new Map();
    let collection = this.helpers.get(domain);
    if (!collection) {
      // The house's helpers are UI-made (editable): their storage items are read off their entities.
      const editable = this.states(nowMs).filter((state) => state.entity_id.startsWith(`${domain}.`) && state.attributes['editable'] === true);
      collection = new Map(editable.map((state) => [state.entity_id.slice(domain.length + 1), { item: helperItemOf(domain, state), entityId: state.entity_id }]));
      this.helpers.set(domain, collection);
    }
    return collection;
  }

  // ── services ──────────────────────────────────────────────────────────────────────────────

  /** Every service the home offers now, by domain (HA's `GET /api/services` content). */
  services(nowMs: number): Record<string, Record<string, HaServiceDescription>> {
    const domains = new Set(this.states(nowMs).map((state) => state.entity_id.split('.')[0]));
    const result: Record<string, Record<string, HaServiceDescription>> = {};
    const target = { entity: {} };
    const plain = (name: string, fields: Record<string, unknown> = {}): HaServiceDescription => ({ name, description: name, fields, target });
    result['homeassistant'] = Object.fromEntries(TOGGLES.map((service) => [service, plain(`Generic ${service.replace('_', ' ')}`)]));
    for (const [domain, services] of Object.entries(ENTITY_SERVICES)) {
      if (domains.has(domain)) result[domain] = Object.fromEntries(Object.entries(services).map(([name, definition]) => [name, definition.description]));
    }
    result['automation'] = {
      ...Object.fromEntries(TOGGLES.map((service) => [service, plain(service)])),
      trigger: plain('Trigger', { skip_condition: { description: 'Skip the conditions', example: true } }),
      reload: { name: 'Reload', description: 'Reload', fields: {} },
    };
    result['script'] = {
      ...Object.fromEntries(TOGGLES.map((service) => [service, plain(service)])),
      reload: { name: 'Reload', description: 'Reload', fields: {} },
      ...Object.fromEntries(
        Object.entries(this.scriptConfigs()).map(([id, config]) => [id, { name: config.alias ?? id, description: config.description ?? '', fields: config.fields ?? {}, response: { optional: true } }]),
      ),
    };
    result['scene'] = { turn_on: plain('Activate', { transition: { description: 'Seconds to fade' } }), reload: { name: 'Reload', description: 'Reload', fields: {} } };
    result['notify'] = this.notifyServices();
    return result;
  }

  /**
   * HA's legacy notify services: `persistent_notification` (every install has it: a notification in
   * HA's own UI) and one `mobile_app_<device>` per phone with the companion app (named after the
   * app's config entry, as HA names them). They take no target entities.
   */
  private notifyServices(): Record<string, HaServiceDescription> {
    const fields = { message: { required: true, example: 'The garage door has been open for 10 minutes.' }, title: { example: 'Your Garage Door Friend' }, data: { example: 'platform specific' } };
    const notifier = (name: string): HaServiceDescription => ({ name, description: name, fields });
    const phones = this.configEntries().filter((entry) => entry.domain === 'mobile_app');
    return {
      persistent_notification: notifier('Send a persistent notification'),
      ...Object.fromEntries(phones.map((entry) => [`mobile_app_${slugify(entry.title)}`, notifier(`Send a notification via mobile_app_${slugify(entry.title)}`)])),
    };
  }

  /**
   * Runs a service: resolves its targets, validates its data, changes the targeted entities and
   * returns what changed. Unknown entities are skipped, as HA does (it only logs a warning).
   */
  callService(domain: string, service: string, serviceData: Record<string, unknown>, nowMs: number, options: ServiceCallOptions = {}, depth = 0): ServiceCallResult {
    const description = this.services(nowMs)[domain]?.[service];
    if (!description) throw new ServiceNotFoundError(domain, service);
    if (options.returnResponse && !description.response) {
      throw new ServiceValidationError('An action which does not return responses can\'t be called with return_response=True');
    }
    const context = newContext(nowMs, options.parent);
    const data: Record<string, unknown> = {};
    const target: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(serviceData)) {
      if ((TARGET_KEYS as readonly string[]).includes(key)) target[key] = value;
      else data[key] = value;
    }
    const changed = new Map<string, HaEntityState>();
    const note = (state: HaEntityState | undefined) => {
      if (state) changed.set(state.entity_id, state);
    };
    const cause = { domain, service };
    let response: Record<string, unknown> | undefined;

    if (domain === 'script' && !TOGGLES.includes(service) && service !== 'reload') {
      response = this.runScript(service, data, nowMs, context, depth, note);
    } else if (domain === 'notify') {
      // HA's notify schema: a message is required; the notification itself changes no entity.
      if (typeof data['message'] !== 'string' || data['message'] === '') throw new ServiceDataError(`required key not provided @ data['message']`);
    } else if (service === 'reload') {
      // Configs are already live; a reload changes nothing.
    } else {
      const entityIds = resolveTargets(target, () => this.states(nowMs).map((state) => state.entity_id), () => this.registries());
      for (const entityId of entityIds) {
        const entityDomain = entityId.split('.')[0];
        if (domain !== 'homeassistant' && entityDomain !== domain) continue;
        const current = this.state(entityId, nowMs);
        if (!current) continue;
        const entityService = domain === 'homeassistant' ? (GENERIC_SERVICE_ALIASES[entityDomain]?.[service] ?? service) : service;
        this.applyToEntity(entityDomain, entityService, current, domain === 'homeassistant' ? {} : data, nowMs, context, cause, depth, note);
      }
    }
    return { changed: [...changed.values()], context, ...(options.returnResponse ? { response: response ?? {} } : {}) };
  }

  private applyToEntity(
    domain: string,
    service: string,
    current: HaEntityState,
    data: Record<string, unknown>,
    nowMs: number,
    context: HaContext,
    cause: { domain: string; service: string },
    depth: number,
    note: (state: HaEntityState | undefined) => void,
  ): void {
    const definition = ENTITY_SERVICES[domain]?.[service];
    if (definition) {
      const parsed = definition.schema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue.path.map((key) => `['${String(key)}']`).join('');
        throw new ServiceDataError(issue.code === 'unrecognized_keys' ? `extra keys not allowed @ data['${issue.keys[0]}']` : `${issue.message} @ data${path}`);
      }
      note(this.write(current.entity_id, definition.apply(current, parsed.data, nowMs), nowMs, context, { cause }));
      return;
    }
    const toggled = (on: boolean) => ({ state: on ? 'on' : 'off', attributes: current.attributes });
    switch (domain) {
      case 'automation':
        if (service === 'trigger') {
          this.triggerAutomation(current, nowMs, context, depth, note);
        } else if (TOGGLES.includes(service)) {
          note(this.write(current.entity_id, toggled(service === 'toggle' ? current.state !== 'on' : service === 'turn_on'), nowMs, context, { cause }));
        }
        return;
      case 'script':
        if (service === 'turn_off') return;
        if (service === 'turn_on' || (service === 'toggle' && current.state === 'off')) {
          this.runScript(current.entity_id.slice('script.'.length), (data['variables'] as Record<string, unknown>) ?? {}, nowMs, context, depth, note);
        }
        return;
      case 'scene':
        if (service === 'turn_on') this.activateScene(current, nowMs, context, depth, note);
        return;
      default:
      // homeassistant.* on an entity whose domain has no such service: HA skips it.
    }
  }

  private triggerAutomation(current: HaEntityState, nowMs: number, context: HaContext, depth: number, note: (state: HaEntityState | undefined) => void): void {
    const config = this.automationConfigs().find((candidate) => candidate.id === current.attributes['id']);
    note(this.write(current.entity_id, { state: current.state, attributes: { ...current.attributes, last_triggered: formatHaTimestamp(nowMs) } }, nowMs, context));
    this.logbookOverlay.push({
      atMs: nowMs,
      entry: {
        when: formatHaTimestamp(nowMs),
        name: String(current.attributes['friendly_name'] ?? current.entity_id),
        message: 'triggered by action automation.trigger',
        entity_id: current.entity_id,
        domain: 'automation',
        context_id: context.id,
        context_user_id: context.user_id,
        context_event_type: 'call_service',
        context_domain: 'automation',
        context_service: 'trigger',
      },
    });
    if (config) this.runActions(config.actions ?? config.action ?? [], nowMs, context, depth, note);
  }

  private runScript(objectId: string, _variables: Record<string, unknown>, nowMs: number, context: HaContext, depth: number, note: (state: HaEntityState | undefined) => void): Record<string, unknown> {
    const config = this.scriptConfigs()[objectId];
    const entityId = `script.${objectId}`;
    const current = this.state(entityId, nowMs);
    if (current) note(this.write(entityId, { state: current.state, attributes: { ...current.attributes, last_triggered: formatHaTimestamp(nowMs) } }, nowMs, context));
    this.logbookOverlay.push({
      atMs: nowMs,
      entry: { when: formatHaTimestamp(nowMs), name: String(current?.attributes['friendly_name'] ?? config?.alias ?? objectId), message: 'started', entity_id: entityId, domain: 'script', context_id: context.id, context_user_id: context.user_id },
    });
    // A blueprint-based script's steps live in its blueprint, which the demo does not hold: it only starts.
    if (config?.sequence) this.runActions(config.sequence, nowMs, context, depth, note);
    return {};
  }

  private activateScene(current: HaEntityState, nowMs: number, context: HaContext, depth: number, note: (state: HaEntityState | undefined) => void): void {
    const config = this.sceneConfigs().find((candidate) => candidate.id === current.attributes['id']);
    note(this.write(current.entity_id, { state: formatHaTimestamp(nowMs), attributes: current.attributes }, nowMs, context, { cause: { domain: 'scene', service: 'turn_on' } }));
    if (!config || depth >= MAX_ACTION_DEPTH) return;
    for (const [entityId, wanted] of Object.entries(config.entities)) {
      const target = this.state(entityId, nowMs);
      if (!target) continue;
      const { state, ...attributes } = typeof wanted === 'object' && wanted !== null ? (wanted as Record<string, unknown>) : { state: wanted };
      note(this.write(entityId, { state: String(state ?? target.state), attributes: { ...target.attributes, ...attributes } }, nowMs, newContext(nowMs, context), { cause: { domain: 'scene', service: 'turn_on' } }));
    }
  }

  /**
   * Runs the service-call steps of an automation's actions or a script's sequence, in order, each
   * in a child context. Other step kinds (delays, conditions, waits…) are skipped: the demo has no
   * scheduler. A failing step ends the run, as in HA; the caller's call still succeeds.
   */
  private runActions(actions: unknown, nowMs: number, context: HaContext, depth: number, note: (state: HaEntityState | undefined) => void): void {
    if (depth >= MAX_ACTION_DEPTH) return;
    const steps = Array.isArray(actions) ? actions : [actions];
    for (const step of steps) {
      if (typeof step !== 'object' || step === null) continue;
      const record = step as Record<string, unknown>;
      const action = record['action'] ?? record['service'];
      if (typeof action !== 'string' || !action.includes('.')) continue;
      const [domain, service] = action.split('.', 2);
      const data = { ...(record['data'] as Record<string, unknown> | undefined), ...(record['target'] as Record<string, unknown> | undefined) };
      try {
        const result = this.callService(domain, service, data, nowMs, { parent: context }, depth + 1);
        for (const state of result.changed) note(state);
      } catch {
        return;
      }
    }
  }
}

function replaceOrAppend<T>(list: T[], matches: (item: T) => boolean, item: T): void {
  const index = list.findIndex(matches);
  if (index >= 0) list[index] = item;
  else list.push(item);
}

/** A logbook `when` as epoch ms: REST gives ISO strings, WebSocket epoch seconds. */
export function whenMs(when: string | number): number {
  return typeof when === 'number' ? when * 1000 : Date.parse(when);
}

/** HA refuses a helper config (`invalid_format` with voluptuous's message). */
export class HelperInvalidError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HelperInvalidError';
  }
}

/** The entity registry entry HA makes for an entity added by a config or a helper (no device, no area). */
function registryEntry(entityId: string, uniqueId: string, platform: string, name: string, nowMs: number): HaEntityRegistryEntry {
  return {
    entity_id: entityId,
    id: randomUUID().replaceAll('-', ''),
    unique_id: uniqueId,
    platform,
    config_entry_id: null,
    device_id: null,
    area_id: null,
    name: null,
    original_name: name,
    icon: null,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
    has_entity_name: false,
    labels: [],
    created_at: nowMs / 1000,
    modified_at: nowMs / 1000,
  };
}
