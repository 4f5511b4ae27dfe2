import { randomUUID } from 'node:crypto';
import { blueprintUseOf, type CatalogAutomationView, type CatalogEntityView, type CatalogSummary, type DiscoveryCounts } from '@aether/core';
import { In, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { catalogContentHash } from './catalog-content-hash';
import {
  CatalogStore,
  type CatalogAreaInput,
  type CatalogAreaView,
  type CatalogDeviceInput,
  type CatalogDeviceView,
  type CatalogDiscoverySession,
  type CatalogDomainSummary,
  type CatalogEntityFilter,
  type CatalogEntityInput,
  type CatalogFloorView,
  type CatalogRunnableState,
  type CatalogSnapshot,
  type CatalogTable,
  type CompletedDiscovery,
  type NewDiscoverySession,
} from './catalog.store';
import { DiscoverySessionEntity, type DiscoverySessionCounts } from './discovery-session.entity';
import { HaAreaEntity } from './ha-area.entity';
import { HaAutomationEntity } from './ha-automation.entity';
import { HaDeviceEntity } from './ha-device.entity';
import { HaEntityEntity } from './ha-entity.entity';
import { HaFloorEntity } from './ha-floor.entity';
import { HaSceneEntity } from './ha-scene.entity';
import { HaScriptEntity } from './ha-script.entity';

/** Rows per INSERT … ON CONFLICT statement: well under PostgreSQL's 65,535 bind parameters. */
const UPSERT_CHUNK = 500;
const DELETE_CHUNK = 1_000;
const DEFAULT_LIMIT = 50;

interface TableSpec<I extends object> {
  target: EntityTarget<ObjectLiteral>;
  table: string;
  key: keyof I & string;
  keyColumn: string;
  /** The fields that make up the content hash (what the row is, not its changing state). */
  hashed: (row: I) => unknown;
  /** Column holding a row's domain, when rows of one table have different domains. */
  domainColumn?: string;
  /** Domain of a row, for domain-filtered runs; undefined = the table is never filtered. */
  domainOf?: (row: { id: string; domain: string | null }) => string;
}

const FLOORS: TableSpec<CatalogSnapshot['floors'][number]> = {
  target: HaFloorEntity, table: 'ha_floors', key: 'floorId', keyColumn: 'floor_id', hashed: (r) => r,
};
const AREAS: TableSpec<CatalogAreaInput> = {
  target: HaAreaEntity, table: 'ha_areas', key: 'areaId', keyColumn: 'area_id', hashed: (r) => r,
};
const DEVICES: TableSpec<CatalogDeviceInput> = {
  target: HaDeviceEntity, table: 'ha_devices', key: 'deviceId', keyColumn: 'device_id', hashed: (r) => r,
};
const ENTITIES: TableSpec<CatalogEntityInput> = {
  target: HaEntityEntity,
  table: 'ha_entities',
  key: 'entityId',
  keyColumn: 'entity_id',
  // State, attributes and last_changed change all the time; they are refreshed, not counted.
  hashed: ({ state: _s, attributes: _a, lastChanged: _l, ...identity }) => identity,
  domainColumn: 'domain',
  domainOf: (row) => row.domain ?? '',
};
const AUTOMATIONS: TableSpec<CatalogSnapshot['automations'][number]> = {
  target: HaAutomationEntity,
  table: 'ha_automations',
  key: 'entityId',
  keyColumn: 'entity_id',
  hashed: ({ state: _s, lastTriggered: _l, ...identity }) => identity,
  domainOf: () => 'automation',
};
const SCRIPTS: TableSpec<CatalogSnapshot['scripts'][number]> = {
  target: HaScriptEntity,
  table: 'ha_scripts',
  key: 'entityId',
  keyColumn: 'entity_id',
  hashed: ({ state: _s, lastTriggered: _l, ...identity }) => identity,
  domainOf: () => 'script',
};
const SCENES: TableSpec<CatalogSnapshot['scenes'][number]> = {
  target: HaSceneEntity,
  table: 'ha_scenes',
  key: 'entityId',
  keyColumn: 'entity_id',
  hashed: ({ state: _s, ...identity }) => identity,
  domainOf: () => 'scene',
};

/** The catalog over TypeORM: bulk statements throughout, never a query per row. */
export class TypeOrmCatalogStore extends CatalogStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async replaceAll(snapshot: CatalogSnapshot): Promise<Required<DiscoverySessionCounts>> {
    const now = new Date();
    const inScope = (domain: string) => snapshot.domains === null || snapshot.domains.includes(domain);
    return this.dataSource.transaction(async (manager) => ({
      floors: await replaceTable(manager, FLOORS, snapshot.floors, now, () => true),
      areas: await replaceTable(manager, AREAS, snapshot.areas, now, () => true),
      devices: await replaceTable(manager, DEVICES, snapshot.devices, now, () => true),
      entities: await replaceTable(manager, ENTITIES, snapshot.entities, now, inScope),
      automations: await replaceTable(manager, AUTOMATIONS, snapshot.automations, now, inScope),
      scripts: await replaceTable(manager, SCRIPTS, snapshot.scripts, now, inScope),
      scenes: await replaceTable(manager, SCENES, snapshot.scenes, now, inScope),
    }));
  }

  async upsertEntities(rows: CatalogEntityInput[]): Promise<DiscoveryCounts> {
    if (rows.length === 0) return { added: 0, updated: 0, removed: 0 };
    return this.dataSource.transaction(async (manager) => {
      const existing = await existingKeys(manager, ENTITIES, rows.map((r) => r.entityId));
      await upsertChunks(manager, ENTITIES, rows, new Date());
      const updated = rows.filter((r) => existing.has(r.entityId)).length;
      return { added: rows.length - updated, updated, removed: 0 };
    });
  }

  async removeEntities(entityIds: string[]): Promise<number> {
    let removed = 0;
    for (const ids of chunks(entityIds, DELETE_CHUNK)) {
      removed += (await this.dataSource.getRepository(HaEntityEntity).delete({ entityId: In(ids) })).affected ?? 0;
    }
    return removed;
  }

  async refreshRunnableStates(states: CatalogRunnableState[]): Promise<void> {
    const byTable: Array<[string, boolean, CatalogRunnableState[]]> = [
      ['ha_automations', true, states.filter((s) => s.entityId.startsWith('automation.'))],
      ['ha_scripts', true, states.filter((s) => s.entityId.startsWith('script.'))],
      ['ha_scenes', false, states.filter((s) => s.entityId.startsWith('scene.'))],
    ];
    await this.dataSource.transaction(async (manager) => {
      for (const [table, hasLastTriggered, rows] of byTable) {
        for (const part of chunks(rows, UPSERT_CHUNK)) {
          // One UPDATE … FROM (VALUES …) per chunk, not one statement per row.
          const params: unknown[] = [];
          const values = part
            .map((row) => {
              params.push(row.entityId, row.state, row.lastTriggered);
              const n = params.length;
              return `($${n - 2}::text, $${n - 1}::text, $${n}::timestamptz)`;
            })
            .join(', ');
          await manager.query(
            `UPDATE ${table} AS t SET state = v.state${hasLastTriggered ? ', last_triggered = v.last_triggered' : ''}, last_synced_at = now()
               FROM (VALUES ${values}) AS v(entity_id, state, last_triggered)
              WHERE t.entity_id = v.entity_id`,
            params,
          );
        }
      }
    });
  }

  async upsertDevices(rows: CatalogDeviceInput[]): Promise<void> {
    await upsertChunks(this.dataSource.manager, DEVICES, rows, new Date());
  }

  async upsertAreas(rows: CatalogAreaInput[]): Promise<void> {
    await upsertChunks(this.dataSource.manager, AREAS, rows, new Date());
  }

  async findEntityRows(entityIds: string[]): Promise<CatalogEntityInput[]> {
    const rows: HaEntityEntity[] = [];
    for (const ids of chunks(entityIds, DELETE_CHUNK)) {
      rows.push(...(await this.dataSource.getRepository(HaEntityEntity).findBy({ entityId: In(ids) })));
    }
    return rows.map(({ contentHash: _h, lastSyncedAt: _s, ...row }) => row);
  }

  async entityStates(): Promise<Map<string, string>> {
    const rows: Array<{ entity_id: string; state: string }> = await this.dataSource.query('SELECT entity_id, state FROM ha_entities');
    return new Map(rows.map((r) => [r.entity_id, r.state]));
  }

  async startSession(session: NewDiscoverySession): Promise<CatalogDiscoverySession> {
    const repository = this.dataSource.getRepository(DiscoverySessionEntity);
    const row = repository.create({
      id: randomUUID(),
      kind: session.kind,
      triggeredBy: session.triggeredBy,
      status: 'running',
      domainFilter: session.domainFilter ?? null,
      entitiesFound: 0,
      devicesFound: 0,
      areasFound: 0,
      automationsFound: 0,
      scriptsFound: 0,
      scenesFound: 0,
      counts: {},
      domainCounts: {},
      error: null,
      startedAt: new Date(),
      finishedAt: null,
    });
    await repository.insert(row);
    return sessionView(row);
  }

  async completeSession(id: string, result: CompletedDiscovery): Promise<CatalogDiscoverySession> {
    return this.finishSession(id, {
      status: 'completed',
      entitiesFound: result.found.entities,
      devicesFound: result.found.devices,
      areasFound: result.found.areas,
      automationsFound: result.found.automations,
      scriptsFound: result.found.scripts,
      scenesFound: result.found.scenes,
      counts: result.counts,
      domainCounts: result.domainCounts,
      error: result.error ?? null,
    });
  }

  async failSession(id: string, error: string): Promise<CatalogDiscoverySession> {
    return this.finishSession(id, { status: 'failed', error });
  }

  async latestSession(filter: { kind?: 'full' | 'delta'; status?: 'running' | 'completed' | 'failed' } = {}): Promise<CatalogDiscoverySession | null> {
    const row = await this.dataSource.getRepository(DiscoverySessionEntity).findOne({
      where: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.status ? { status: filter.status } : {}) },
      order: { startedAt: 'DESC' },
    });
    return row ? sessionView(row) : null;
  }

  async queryEntities(filter: CatalogEntityFilter): Promise<{ entities: CatalogEntityView[]; total: number }> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    for (const word of filter.words ?? []) {
      const p = param(`%${escapeLike(word)}%`);
      where.push(`(e.entity_id ILIKE ${p} OR e.name ILIKE ${p} OR a.name ILIKE ${p} OR d.name ILIKE ${p})`);
    }
    if (filter.domain) where.push(`e.domain = ${param(filter.domain)}`);
    if (filter.area) {
      const p = param(filter.area.toLowerCase());
      where.push(`(lower(e.area_id) = ${p} OR lower(a.name) = ${p})`);
    }
    if (filter.entityIds) {
      if (filter.entityIds.length === 0) return { entities: [], total: 0 };
      where.push(`e.entity_id IN (${filter.entityIds.map((id) => param(id)).join(', ')})`);
    }
    const limit = param(Math.max(1, filter.limit ?? DEFAULT_LIMIT));
    const rows: EntityViewRow[] = await this.dataSource.query(
      `SELECT e.entity_id, e.name, e.domain, e.state, e.unit, a.name AS area, d.name AS device, COUNT(*) OVER () AS total
         FROM ha_entities e
         LEFT JOIN ha_areas a ON a.area_id = e.area_id
         LEFT JOIN ha_devices d ON d.device_id = e.device_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.entity_id
        LIMIT ${limit}`,
      params,
    );
    return { entities: rows.map(entityView), total: rows.length ? Number(rows[0].total) : 0 };
  }

  async getEntity(entityId: string): Promise<CatalogEntityView | null> {
    const rows: EntityViewRow[] = await this.dataSource.query(
      `SELECT e.entity_id, e.name, e.domain, e.state, e.unit, e.attributes, e.last_changed, a.name AS area, d.name AS device
         FROM ha_entities e
         LEFT JOIN ha_areas a ON a.area_id = e.area_id
         LEFT JOIN ha_devices d ON d.device_id = e.device_id
        WHERE e.entity_id = $1`,
      [entityId],
    );
    return rows.length ? { ...entityView(rows[0]), attributes: rows[0].attributes ?? {}, last_changed: isoOrNull(rows[0].last_changed) } : null;
  }

  async domainSummary(domain: string): Promise<CatalogDomainSummary> {
    const rows: Array<{ state: string; area: string | null; n: string | number }> = await this.dataSource.query(
      `SELECT e.state, a.name AS area, COUNT(*) AS n
         FROM ha_entities e LEFT JOIN ha_areas a ON a.area_id = e.area_id
        WHERE e.domain = $1
        GROUP BY e.state, a.name`,
      [domain],
    );
    const states: Record<string, number> = {};
    const areas: Record<string, number> = {};
    let count = 0;
    for (const row of rows) {
      const n = Number(row.n);
      count += n;
      states[row.state] = (states[row.state] ?? 0) + n;
      const area = row.area ?? 'unassigned';
      areas[area] = (areas[area] ?? 0) + n;
    }
    return { domain, count, states: sortedByCount(states), areas: sortedByCount(areas) };
  }

  async listAutomations(): Promise<CatalogAutomationView[]> {
    const rows = await this.dataSource.getRepository(HaAutomationEntity).find({ order: { entityId: 'ASC' } });
    return rows.map(automationView);
  }

  async getAutomation(ref: string): Promise<(CatalogAutomationView & { config: Record<string, unknown> | null }) | null> {
    const row = await this.dataSource.getRepository(HaAutomationEntity).findOne({ where: [{ entityId: ref }, { automationId: ref }] });
    return row ? { ...automationView(row), config: row.config } : null;
  }

  async summary(): Promise<CatalogSummary> {
    const [domains, areas, floors, counts, last] = await Promise.all([
      this.dataSource.query(`SELECT domain, COUNT(*) AS n FROM ha_entities GROUP BY domain`) as Promise<Array<{ domain: string; n: string | number }>>,
      this.dataSource.query(`SELECT name FROM ha_areas ORDER BY name`) as Promise<Array<{ name: string }>>,
      this.listFloors(),
      this.counts(),
      this.latestSession({ kind: 'full', status: 'completed' }),
    ]);
    return {
      entity_count: counts.entities,
      domains: sortedByCount(Object.fromEntries(domains.map((d) => [d.domain, Number(d.n)]))),
      areas: areas.map((a) => a.name),
      floors: floors.map((f) => f.name),
      device_count: counts.devices,
      automation_count: counts.automations,
      script_count: counts.scripts,
      scene_count: counts.scenes,
      last_discovery_at: last?.finished_at ?? null,
    };
  }

  async listAreas(): Promise<CatalogAreaView[]> {
    const rows: Array<{ area_id: string; name: string; aliases: string[]; floor_id: string | null; floor: string | null; device_count: string | number; entity_count: string | number }> =
      await this.dataSource.query(
        `SELECT a.area_id, a.name, a.aliases, a.floor_id, f.name AS floor,
                (SELECT COUNT(*) FROM ha_devices d WHERE d.area_id = a.area_id) AS device_count,
                (SELECT COUNT(*) FROM ha_entities e WHERE e.area_id = a.area_id) AS entity_count
           FROM ha_areas a LEFT JOIN ha_floors f ON f.floor_id = a.floor_id
          ORDER BY f.level NULLS LAST, a.name`,
      );
    return rows.map((r) => ({ ...r, aliases: r.aliases ?? [], device_count: Number(r.device_count), entity_count: Number(r.entity_count) }));
  }

  async listFloors(): Promise<CatalogFloorView[]> {
    const rows = await this.dataSource.getRepository(HaFloorEntity).find({ order: { level: { direction: 'ASC', nulls: 'LAST' }, name: 'ASC' } });
    return rows.map((f) => ({ floor_id: f.floorId, name: f.name, level: f.level, aliases: f.aliases }));
  }

  async listDevices(filter: { areaId?: string } = {}): Promise<CatalogDeviceView[]> {
    const devices: Array<Omit<CatalogDeviceView, 'entities'>> = await this.dataSource.query(
      `SELECT d.device_id, d.name, d.manufacturer, d.model, d.area_id, a.name AS area
         FROM ha_devices d LEFT JOIN ha_areas a ON a.area_id = d.area_id
        ${filter.areaId ? 'WHERE d.area_id = $1' : ''}
        ORDER BY d.name, d.device_id`,
      filter.areaId ? [filter.areaId] : [],
    );
    if (devices.length === 0) return [];
    const entities: Array<EntityViewRow & { device_id: string }> = await this.dataSource.query(
      `SELECT e.entity_id, e.name, e.domain, e.state, e.unit, e.device_id, a.name AS area, d.name AS device
         FROM ha_entities e
         JOIN ha_devices d ON d.device_id = e.device_id
         LEFT JOIN ha_areas a ON a.area_id = e.area_id
        ${filter.areaId ? 'WHERE d.area_id = $1' : ''}
        ORDER BY e.entity_id`,
      filter.areaId ? [filter.areaId] : [],
    );
    const byDevice = new Map<string, CatalogEntityView[]>();
    for (const row of entities) {
      const list = byDevice.get(row.device_id) ?? [];
      list.push(entityView(row));
      byDevice.set(row.device_id, list);
    }
    return devices.map((d) => ({ ...d, entities: byDevice.get(d.device_id) ?? [] }));
  }

  async counts(): Promise<Record<CatalogTable, number>> {
    const [row]: Array<Record<CatalogTable, string | number>> = await this.dataSource.query(
      `SELECT (SELECT COUNT(*) FROM ha_entities) AS entities, (SELECT COUNT(*) FROM ha_devices) AS devices,
              (SELECT COUNT(*) FROM ha_areas) AS areas, (SELECT COUNT(*) FROM ha_floors) AS floors,
              (SELECT COUNT(*) FROM ha_automations) AS automations, (SELECT COUNT(*) FROM ha_scripts) AS scripts,
              (SELECT COUNT(*) FROM ha_scenes) AS scenes`,
    );
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as Record<CatalogTable, number>;
  }

  private async finishSession(id: string, changes: Partial<DiscoverySessionEntity>): Promise<CatalogDiscoverySession> {
    const repository = this.dataSource.getRepository(DiscoverySessionEntity);
    await repository.update({ id }, { ...changes, finishedAt: new Date() });
    return sessionView(await repository.findOneByOrFail({ id }));
  }
}

interface EntityViewRow {
  entity_id: string;
  name: string;
  domain: string;
  state: string;
  unit: string | null;
  area: string | null;
  device: string | null;
  attributes?: Record<string, unknown>;
  last_changed?: Date | string | null;
  total?: string | number;
}

async function replaceTable<I extends object>(
  manager: EntityManager,
  spec: TableSpec<I>,
  rows: I[],
  now: Date,
  inScope: (domain: string) => boolean,
): Promise<DiscoveryCounts> {
  const existing: Array<{ id: string; hash: string; domain: string | null }> = await manager.query(
    `SELECT ${spec.keyColumn} AS id, content_hash AS hash, ${spec.domainColumn ?? 'NULL'} AS domain FROM ${spec.table}`,
  );
  const hashes = new Map(existing.map((r) => [r.id, r.hash]));
  let added = 0;
  let updated = 0;
  const incoming = new Set<string>();
  for (const row of rows) {
    const key = row[spec.key] as string;
    incoming.add(key);
    const previous = hashes.get(key);
    if (previous === undefined) added++;
    else if (previous !== catalogContentHash(spec.hashed(row))) updated++;
  }
  await upsertChunks(manager, spec, rows, now);
  const stale = existing.filter((r) => !incoming.has(r.id) && (!spec.domainOf || inScope(spec.domainOf(r)))).map((r) => r.id);
  for (const ids of chunks(stale, DELETE_CHUNK)) {
    await manager.getRepository(spec.target).delete({ [spec.key]: In(ids) });
  }
  return { added, updated, removed: stale.length };
}

async function existingKeys<I extends object>(manager: EntityManager, spec: TableSpec<I>, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const ids of chunks(keys, DELETE_CHUNK)) {
    const rows: Array<Record<string, string>> = await manager
      .getRepository(spec.target)
      .find({ select: { [spec.key]: true }, where: { [spec.key]: In(ids) } });
    for (const row of rows) found.add(row[spec.key]);
  }
  return found;
}

async function upsertChunks<I extends object>(manager: EntityManager, spec: TableSpec<I>, rows: I[], now: Date): Promise<void> {
  for (const part of chunks(rows, UPSERT_CHUNK)) {
    const values = part.map((row) => ({ ...row, contentHash: catalogContentHash(spec.hashed(row)), lastSyncedAt: now }));
    await manager.getRepository(spec.target).upsert(values, { conflictPaths: [spec.key] });
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function isoOrNull(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function sortedByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

function entityView(row: EntityViewRow): CatalogEntityView {
  return {
    entity_id: row.entity_id,
    name: row.name,
    domain: row.domain,
    state: row.state,
    area: row.area ?? null,
    device: row.device ?? null,
    unit: row.unit ?? null,
  };
}

function automationView(row: HaAutomationEntity): CatalogAutomationView {
  const blueprint = blueprintUseOf(row.config);
  return {
    entity_id: row.entityId,
    id: row.automationId,
    alias: row.alias,
    state: row.state,
    mode: row.mode,
    trigger_types: row.triggerTypes,
    last_triggered: isoOrNull(row.lastTriggered),
    ...(blueprint ? { blueprint } : {}),
  };
}

function sessionView(row: DiscoverySessionEntity): CatalogDiscoverySession {
  return {
    id: row.id,
    kind: row.kind,
    triggered_by: row.triggeredBy,
    status: row.status,
    started_at: (isoOrNull(row.startedAt) as string),
    finished_at: isoOrNull(row.finishedAt),
    entities_found: row.entitiesFound,
    devices_found: row.devicesFound,
    areas_found: row.areasFound,
    automations_found: row.automationsFound,
    scripts_found: row.scriptsFound,
    scenes_found: row.scenesFound,
    entities: row.counts.entities ?? { added: 0, updated: 0, removed: 0 },
    domain_counts: row.domainCounts,
    error: row.error,
    domain_filter: row.domainFilter,
    counts: row.counts,
  };
}
