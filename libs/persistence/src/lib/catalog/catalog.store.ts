import type {
  CatalogAutomationView,
  CatalogEntityView,
  CatalogSummary,
  DiscoveryCounts,
  DiscoverySessionView,
} from '@aether/core';
import type { DiscoverySessionCounts } from './discovery-session.entity';
import type { HaAreaEntity } from './ha-area.entity';
import type { HaAutomationEntity } from './ha-automation.entity';
import type { HaDeviceEntity } from './ha-device.entity';
import type { HaEntityEntity } from './ha-entity.entity';
import type { HaFloorEntity } from './ha-floor.entity';
import type { HaSceneEntity } from './ha-scene.entity';
import type { HaScriptEntity } from './ha-script.entity';

type Input<T> = Omit<T, 'contentHash' | 'lastSyncedAt'>;
export type CatalogFloorInput = Input<HaFloorEntity>;
export type CatalogAreaInput = Input<HaAreaEntity>;
export type CatalogDeviceInput = Input<HaDeviceEntity>;
export type CatalogEntityInput = Input<HaEntityEntity>;
export type CatalogAutomationInput = Input<HaAutomationEntity>;
export type CatalogScriptInput = Input<HaScriptEntity>;
export type CatalogSceneInput = Input<HaSceneEntity>;

export type CatalogTable = keyof Required<DiscoverySessionCounts>;

export interface CatalogRunnableState {
  entityId: string;
  state: string;
  lastTriggered: Date | null;
}

/** Everything one full discovery read from Home Assistant. */
export interface CatalogSnapshot {
  /**
   * The entity domains this run covered (a domain-filtered run), or null for all. Entities,
   * automations, scripts and scenes outside them are left as they are; the registries (floors,
   * areas, devices) are always replaced whole.
   */
  domains: string[] | null;
  floors: CatalogFloorInput[];
  areas: CatalogAreaInput[];
  devices: CatalogDeviceInput[];
  entities: CatalogEntityInput[];
  automations: CatalogAutomationInput[];
  scripts: CatalogScriptInput[];
  scenes: CatalogSceneInput[];
}

/** A discovery session with the counts of every table (the protocol's view has the entities'). */
export interface CatalogDiscoverySession extends DiscoverySessionView {
  domain_filter: string | null;
  counts: DiscoverySessionCounts;
}

export interface NewDiscoverySession {
  kind: 'full' | 'delta';
  triggeredBy: string;
  domainFilter?: string | null;
}

export interface CompletedDiscovery {
  found: { entities: number; devices: number; areas: number; automations: number; scripts: number; scenes: number };
  counts: DiscoverySessionCounts;
  domainCounts: Record<string, number>;
  /** What the run could not read while still completing (e.g. the registries of an older HA). */
  error?: string | null;
}

export interface CatalogEntityFilter {
  /** Every word must match the entity id, name, area name or device name (case-insensitive). */
  words?: string[];
  domain?: string;
  /** Area id or name (case-insensitive). */
  area?: string;
  entityIds?: string[];
  /** Default 50. */
  limit?: number;
}

export interface CatalogAreaView {
  area_id: string;
  name: string;
  aliases: string[];
  floor_id: string | null;
  floor: string | null;
  device_count: number;
  entity_count: number;
}

export interface CatalogFloorView {
  floor_id: string;
  name: string;
  level: number | null;
  aliases: string[];
}

export interface CatalogDeviceView {
  device_id: string;
  name: string;
  manufacturer: string | null;
  model: string | null;
  area_id: string | null;
  area: string | null;
  entities: CatalogEntityView[];
}

export interface CatalogDomainSummary {
  domain: string;
  count: number;
  states: Record<string, number>;
  /** Entity count per area name ("unassigned" for entities with no area). */
  areas: Record<string, number>;
}

/**
 * The Librarian's catalog of the home. Only the Librarian writes it; other agents read it through
 * the Librarian (catalog protocol). Implemented over TypeORM (`TypeOrmCatalogStore`).
 */
export abstract class CatalogStore {
  /**
   * Replaces the catalog with a full run's snapshot in one transaction: bulk upserts, then deletes
   * what HA no longer has. A row counts as updated only when its content hash changed, so an
   * unchanged home yields 0 added / 0 updated / 0 removed (states are refreshed regardless).
   */
  abstract replaceAll(snapshot: CatalogSnapshot): Promise<Required<DiscoverySessionCounts>>;
  /** Delta sync: inserts or updates entities; `updated` counts rows that existed. */
  abstract upsertEntities(rows: CatalogEntityInput[]): Promise<DiscoveryCounts>;
  /** Delta sync: number of rows removed. */
  abstract removeEntities(entityIds: string[]): Promise<number>;
  /**
   * Delta sync: the changing state of catalogued automations, scripts and scenes (on/off,
   * last_triggered); their config only changes with a full run. Unknown entity ids are ignored.
   */
  abstract refreshRunnableStates(states: CatalogRunnableState[]): Promise<void>;
  /** Registry refresh for entities new since the last full run. */
  abstract upsertDevices(rows: CatalogDeviceInput[]): Promise<void>;
  abstract upsertAreas(rows: CatalogAreaInput[]): Promise<void>;
  /** Stored rows of these entities (to merge a delta into). */
  abstract findEntityRows(entityIds: string[]): Promise<CatalogEntityInput[]>;
  /** entity_id → catalogued state, for every entity. */
  abstract entityStates(): Promise<Map<string, string>>;

  abstract startSession(session: NewDiscoverySession): Promise<CatalogDiscoverySession>;
  abstract completeSession(id: string, result: CompletedDiscovery): Promise<CatalogDiscoverySession>;
  abstract failSession(id: string, error: string): Promise<CatalogDiscoverySession>;
  /** The newest session matching, by start time. */
  abstract latestSession(filter?: { kind?: 'full' | 'delta'; status?: 'running' | 'completed' | 'failed' }): Promise<CatalogDiscoverySession | null>;

  abstract queryEntities(filter: CatalogEntityFilter): Promise<{ entities: CatalogEntityView[]; total: number }>;
  /** With attributes and last_changed. */
  abstract getEntity(entityId: string): Promise<CatalogEntityView | null>;
  abstract domainSummary(domain: string): Promise<CatalogDomainSummary>;
  abstract listAutomations(): Promise<CatalogAutomationView[]>;
  /** By automation entity id or HA config id. */
  abstract getAutomation(ref: string): Promise<(CatalogAutomationView & { config: Record<string, unknown> | null }) | null>;
  abstract summary(): Promise<CatalogSummary>;
  abstract listAreas(): Promise<CatalogAreaView[]>;
  /** Ordered by level. */
  abstract listFloors(): Promise<CatalogFloorView[]>;
  /** Devices (optionally of one area) with their entities. */
  abstract listDevices(filter?: { areaId?: string }): Promise<CatalogDeviceView[]>;
  abstract counts(): Promise<Record<CatalogTable, number>>;
}
