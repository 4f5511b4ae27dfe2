import { Logger } from '@nestjs/common';
import type { HaEntitiesSnapshot, HaEntitiesSubscription, HaEntityState, HomeAssistantClient } from '@aether/home-assistant';
import type { CatalogDiscoverySession, CatalogEntityInput, CatalogStore } from '@aether/persistence';
import { areaRow, deviceRow, domainOf, entityRow, parseDate, withNewState } from '../discovery/catalog-rows';
import type { CatalogWriteLock } from '../discovery/catalog-write.lock';

export interface DeltaSyncOptions {
  /** A batch is written at most this long after its first change. */
  batchIntervalMs: number;
  /** …or as soon as it holds this many changes. */
  batchMaxChanges: number;
}

export const DEFAULT_DELTA_SYNC_OPTIONS: DeltaSyncOptions = { batchIntervalMs: 1_500, batchMaxChanges: 200 };

/** Domains whose catalog rows (automations, scripts, scenes) carry a state of their own. */
const RUNNABLE_DOMAINS = new Set(['automation', 'script', 'scene']);

type BatchListener = (session: CatalogDiscoverySession) => void;

/**
 * Keeps the catalog in step between full runs: `subscribe_entities` → changed/removed entities
 * collected into batches → upsert/remove + one `delta` discovery session per batch. An entity the
 * catalog has never seen gets its registry entry (area, device) read first.
 */
export class DeltaSyncService {
  private readonly logger = new Logger('Librarian');
  private subscription?: HaEntitiesSubscription;
  /** entity_id → last seen `state|last_updated`; undefined until the first snapshot is compared. */
  private seen?: Map<string, string>;
  private diffChain: Promise<void> = Promise.resolve();
  private readonly changed = new Map<string, HaEntityState>();
  private readonly removed = new Set<string>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<BatchListener>();

  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly store: CatalogStore,
    private readonly writeLock: CatalogWriteLock,
    private readonly options: DeltaSyncOptions = DEFAULT_DELTA_SYNC_OPTIONS,
  ) {}

  get active(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.seen = undefined;
    this.subscription = await this.homeAssistant.subscribeEntities((snapshot) => {
      this.diffChain = this.diffChain.then(() => this.compare(snapshot)).catch((error) => this.logger.warn(`Delta sync: ${describe(error)}`));
    });
  }

  /** Stops listening and writes what is pending. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch((error) => this.logger.warn(`Delta sync unsubscribe: ${describe(error)}`));
    await this.settled();
  }

  /** Resolves when every snapshot received so far is compared and written. */
  async settled(): Promise<void> {
    await this.diffChain;
    await this.flush();
  }

  /** Called with each applied batch's session (tests, metrics). Returns the unsubscribe. */
  onBatch(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes the pending batch now. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.changed.size === 0 && this.removed.size === 0) return this.flushing;
    const changed = [...this.changed.values()];
    const removed = [...this.removed];
    this.changed.clear();
    this.removed.clear();
    this.flushing = this.flushing
      .then(() => this.writeLock.run(() => this.apply(changed, removed)))
      .then((session) => this.listeners.forEach((listener) => listener(session)))
      .catch((error) => this.logger.warn(`Delta sync batch of ${changed.length + removed.length} change(s) failed: ${describe(error)}`));
    return this.flushing;
  }

  private async compare(snapshot: HaEntitiesSnapshot): Promise<void> {
    const current = new Map<string, string>();
    for (const [entityId, state] of Object.entries(snapshot)) current.set(entityId, `${state.state}|${state.last_updated}`);
    if (!this.seen) {
      // First snapshot: compare with the catalog, to catch what changed since the last full run.
      const catalogued = await this.store.entityStates();
      for (const [entityId, state] of Object.entries(snapshot)) {
        if (catalogued.get(entityId) !== state.state) this.changed.set(entityId, state);
      }
      for (const entityId of catalogued.keys()) if (!(entityId in snapshot)) this.removed.add(entityId);
    } else {
      for (const [entityId, key] of current) {
        if (this.seen.get(entityId) !== key) {
          this.changed.set(entityId, snapshot[entityId]);
          this.removed.delete(entityId);
        }
      }
      for (const entityId of this.seen.keys()) {
        if (!current.has(entityId)) {
          this.removed.add(entityId);
          this.changed.delete(entityId);
        }
      }
    }
    this.seen = current;
    const pending = this.changed.size + this.removed.size;
    if (pending >= this.options.batchMaxChanges) void this.flush();
    else if (pending > 0 && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.batchIntervalMs);
      this.timer.unref();
    }
  }

  private async apply(changed: HaEntityState[], removed: string[]): Promise<CatalogDiscoverySession> {
    const session = await this.store.startSession({ kind: 'delta', triggeredBy: 'delta_sync' });
    try {
      const known = new Map((await this.store.findEntityRows(changed.map((s) => s.entity_id))).map((row) => [row.entityId, row]));
      const rows: CatalogEntityInput[] = [];
      const unknown: HaEntityState[] = [];
      for (const state of changed) {
        const row = known.get(state.entity_id);
        if (row) rows.push(withNewState(row, state));
        else unknown.push(state);
      }
      rows.push(...(await this.rowsForNewEntities(unknown)));
      const upserted = await this.store.upsertEntities(rows);
      const runnable = changed.filter((s) => RUNNABLE_DOMAINS.has(domainOf(s.entity_id)));
      if (runnable.length) {
        await this.store.refreshRunnableStates(runnable.map((s) => ({ entityId: s.entity_id, state: s.state, lastTriggered: parseDate(s.attributes['last_triggered']) })));
      }
      const removedCount = removed.length ? await this.store.removeEntities(removed) : 0;
      const domainCounts: Record<string, number> = {};
      for (const row of rows) domainCounts[row.domain] = (domainCounts[row.domain] ?? 0) + 1;
      for (const entityId of removed) domainCounts[domainOf(entityId)] = (domainCounts[domainOf(entityId)] ?? 0) + 1;
      return await this.store.completeSession(session.id, {
        found: { entities: rows.length, devices: 0, areas: 0, automations: 0, scripts: 0, scenes: 0 },
        counts: { entities: { added: upserted.added, updated: upserted.updated, removed: removedCount } },
        domainCounts,
      });
    } catch (error) {
      await this.store.failSession(session.id, describe(error)).catch(() => undefined);
      throw error;
    }
  }

  /** Entities new since the last full run: their registry entries say where they are. */
  private async rowsForNewEntities(states: HaEntityState[]): Promise<CatalogEntityInput[]> {
    if (states.length === 0) return [];
    try {
      const [entities, devices, areas] = await Promise.all([
        this.homeAssistant.getEntityRegistry(),
        this.homeAssistant.getDeviceRegistry(),
        this.homeAssistant.getAreaRegistry(),
      ]);
      const registry = new Map(entities.map((e) => [e.entity_id, e]));
      const deviceById = new Map(devices.map((d) => [d.id, d]));
      const rows = states.map((s) => entityRow(s, registry.get(s.entity_id), deviceById));
      const deviceIds = new Set(rows.map((r) => r.deviceId).filter((id): id is string => id !== null));
      const newDevices = devices.filter((d) => deviceIds.has(d.id));
      const areaIds = new Set([...rows.map((r) => r.areaId), ...newDevices.map((d) => d.area_id)].filter((id): id is string => id !== null));
      await this.store.upsertDevices(newDevices.map(deviceRow));
      await this.store.upsertAreas(areas.filter((a) => areaIds.has(a.area_id)).map(areaRow));
      return rows;
    } catch (error) {
      // Still catalogue them (without area/device); the next full run fills those in.
      this.logger.warn(`Delta sync: registries unreadable for ${states.length} new entit(ies): ${describe(error)}`);
      return states.map((s) => entityRow(s, undefined, new Map()));
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
