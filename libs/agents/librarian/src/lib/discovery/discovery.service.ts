import { Logger } from '@nestjs/common';
import type {
  HaAutomationConfig,
  HaDeviceRegistryEntry,
  HaEntityRegistryEntry,
  HaEntityState,
  HomeAssistantClient,
} from '@aether/home-assistant';
import type {
  CatalogAreaInput,
  CatalogAutomationInput,
  CatalogDiscoverySession,
  CatalogSceneInput,
  CatalogScriptInput,
  CatalogSnapshot,
  CatalogStore,
} from '@aether/persistence';
import { areaRow, deviceRow, domainOf, entityRow, floorRow, inferAreaFromAttributes, objectIdOf, parseDate, stringAttribute } from './catalog-rows';
import type { CatalogWriteLock } from './catalog-write.lock';

export interface DiscoveryRequest {
  /** Who asked: `startup`, `chat`, `catalog_request`, … (recorded on the session). */
  triggeredBy: string;
  /** Only this entity domain (e.g. `light`). */
  domainFilter?: string;
}

/** Config reads (automations, scripts, scenes) in flight at once: HA serves them one request each. */
const CONFIG_READ_CONCURRENCY = 8;

interface Registries {
  entities: HaEntityRegistryEntry[] | null;
  devices: HaDeviceRegistryEntry[] | null;
  areas: Awaited<ReturnType<HomeAssistantClient['getAreaRegistry']>> | null;
  floors: Awaited<ReturnType<HomeAssistantClient['getFloorRegistry']>> | null;
  problems: string[];
}

/**
 * Full discovery: states + registries (+ automation, script and scene configs) → the catalog,
 * recorded as a `full` discovery session with added/updated/removed counts. Runs one at a time:
 * a request while one is running shares it.
 */
export class DiscoveryService {
  private readonly logger = new Logger('Librarian');
  private running?: { key: string; promise: Promise<CatalogDiscoverySession> };
  private initial?: Promise<unknown>;
  /** A full run has completed (here or, per the store, before). */
  private filled = false;

  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly store: CatalogStore,
    private readonly writeLock: CatalogWriteLock,
  ) {}

  discover(request: DiscoveryRequest): Promise<CatalogDiscoverySession> {
    const key = request.domainFilter ?? '*';
    if (this.running?.key === key) return this.running.promise;
    const promise = this.writeLock.run(() => this.runDiscovery(request));
    const running = { key, promise };
    this.running = running;
    void promise.finally(() => {
      if (this.running === running) this.running = undefined;
    }).catch(() => undefined);
    return promise;
  }

  /** The start-up discovery; queries arriving meanwhile wait for it (`ensureCatalog`). */
  startInitialDiscovery(triggeredBy: string): Promise<CatalogDiscoverySession> {
    const promise = this.discover({ triggeredBy });
    this.initial = promise.catch(() => undefined);
    return promise;
  }

  /**
   * Resolves once the catalog can answer: after the start-up discovery (whatever its outcome), and
   * — when the catalog has never been filled — after a discovery now (whose failure is the caller's).
   */
  async ensureCatalog(): Promise<void> {
    if (this.initial) await this.initial;
    if (this.filled) return;
    if (await this.store.latestSession({ kind: 'full', status: 'completed' })) {
      this.filled = true;
      return;
    }
    await this.discover({ triggeredBy: 'first_query' });
  }

  private async runDiscovery(request: DiscoveryRequest): Promise<CatalogDiscoverySession> {
    const domain = request.domainFilter ?? null;
    const session = await this.store.startSession({ kind: 'full', triggeredBy: request.triggeredBy, domainFilter: domain });
    try {
      const [allStates, registries] = await Promise.all([this.homeAssistant.getStates(), this.readRegistries()]);
      const states = domain ? allStates.filter((s) => domainOf(s.entity_id) === domain) : allStates;
      const snapshot = await this.buildSnapshot(states, registries, domain);
      const counts = await this.store.replaceAll(snapshot);
      const domainCounts: Record<string, number> = {};
      for (const entity of snapshot.entities) domainCounts[entity.domain] = (domainCounts[entity.domain] ?? 0) + 1;
      const completed = await this.store.completeSession(session.id, {
        found: {
          entities: snapshot.entities.length,
          devices: snapshot.devices.length,
          areas: snapshot.areas.length,
          automations: snapshot.automations.length,
          scripts: snapshot.scripts.length,
          scenes: snapshot.scenes.length,
        },
        counts,
        domainCounts,
        error: registries.problems.length ? registries.problems.join(' ') : null,
      });
      this.filled = true;
      const c = counts.entities;
      this.logger.log(`Discovery (${request.triggeredBy}${domain ? `, ${domain}` : ''}): ${snapshot.entities.length} entities, +${c.added} ~${c.updated} -${c.removed}`);
      return completed;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.store.failSession(session.id, message).catch(() => undefined);
      throw error;
    }
  }

  private async readRegistries(): Promise<Registries> {
    const problems: string[] = [];
    const read = async <T>(label: string, call: () => Promise<T>): Promise<T | null> => {
      try {
        return await call();
      } catch (error) {
        problems.push(`The ${label} registry could not be read (${error instanceof Error ? error.message : String(error)}).`);
        return null;
      }
    };
    const [entities, devices, areas, floors] = await Promise.all([
      read('entity', () => this.homeAssistant.getEntityRegistry()),
      read('device', () => this.homeAssistant.getDeviceRegistry()),
      read('area', () => this.homeAssistant.getAreaRegistry()),
      read('floor', () => this.homeAssistant.getFloorRegistry()),
    ]);
    if (!entities || !areas) problems.push('Areas were inferred from entity attributes.');
    return { entities, devices, areas, floors, problems };
  }

  private async buildSnapshot(states: HaEntityState[], registries: Registries, domain: string | null): Promise<CatalogSnapshot> {
    const entityRegistry = new Map((registries.entities ?? []).map((e) => [e.entity_id, e]));
    const devices = new Map((registries.devices ?? []).map((d) => [d.id, d]));
    const inferAreas = !registries.entities || !registries.areas;
    const inferredAreas = new Map<string, CatalogAreaInput>();
    const entities = states.map((state) => {
      if (!inferAreas) return entityRow(state, entityRegistry.get(state.entity_id), devices);
      const inferred = inferAreaFromAttributes(state);
      if (inferred && !inferredAreas.has(inferred.areaId)) {
        inferredAreas.set(inferred.areaId, { areaId: inferred.areaId, name: inferred.name, floorId: null, aliases: [], icon: null });
      }
      return entityRow(state, registries.entities ? entityRegistry.get(state.entity_id) : undefined, devices, inferred?.areaId ?? null);
    });
    const ofDomain = (d: string) => (domain === null || domain === d ? states.filter((s) => domainOf(s.entity_id) === d) : []);
    const [automations, scripts, scenes] = await Promise.all([
      this.automations(ofDomain('automation'), registries.problems),
      this.scripts(ofDomain('script'), registries.problems),
      this.scenes(ofDomain('scene'), registries.problems),
    ]);
    return {
      domains: domain ? [domain] : null,
      floors: (registries.floors ?? []).map(floorRow),
      areas: registries.areas ? registries.areas.map(areaRow) : [...inferredAreas.values()],
      devices: (registries.devices ?? []).map(deviceRow),
      entities,
      automations,
      scripts,
      scenes,
    };
  }

  private automations(states: HaEntityState[], problems: string[]): Promise<CatalogAutomationInput[]> {
    return mapConcurrently(states, async (state) => {
      const id = stringAttribute(state, 'id');
      const config = id ? await readConfig(state.entity_id, problems, () => this.homeAssistant.getAutomationConfig(id)) : null;
      return {
        entityId: state.entity_id,
        automationId: id,
        alias: (typeof config?.alias === 'string' && config.alias) || stringAttribute(state, 'friendly_name') || objectIdOf(state.entity_id),
        description: typeof config?.description === 'string' ? config.description : null,
        state: state.state,
        mode: (typeof config?.mode === 'string' && config.mode) || stringAttribute(state, 'mode'),
        triggerTypes: config ? triggerTypes(config) : [],
        config: config ?? null,
        lastTriggered: parseDate(state.attributes['last_triggered']),
      };
    });
  }

  private scripts(states: HaEntityState[], problems: string[]): Promise<CatalogScriptInput[]> {
    return mapConcurrently(states, async (state) => {
      const objectId = objectIdOf(state.entity_id);
      const config = await readConfig(state.entity_id, problems, () => this.homeAssistant.getScriptConfig(objectId));
      return {
        entityId: state.entity_id,
        objectId,
        alias: (typeof config?.alias === 'string' && config.alias) || stringAttribute(state, 'friendly_name') || objectId,
        state: state.state,
        mode: (typeof config?.mode === 'string' && config.mode) || stringAttribute(state, 'mode'),
        config: config ?? null,
        lastTriggered: parseDate(state.attributes['last_triggered']),
      };
    });
  }

  private scenes(states: HaEntityState[], problems: string[]): Promise<CatalogSceneInput[]> {
    return mapConcurrently(states, async (state) => {
      const id = stringAttribute(state, 'id');
      const config = id ? await readConfig(state.entity_id, problems, () => this.homeAssistant.getSceneConfig(id)) : null;
      return {
        entityId: state.entity_id,
        sceneId: id,
        name: (typeof config?.name === 'string' && config.name) || stringAttribute(state, 'friendly_name') || objectIdOf(state.entity_id),
        state: state.state,
        config: config ?? null,
      };
    });
  }
}

/**
 * Trigger kinds of an automation (`trigger:` since HA 2024.10, `platform:` before), in order, once
 * each. A hand-written config may hold a single trigger mapping instead of a list.
 */
export function triggerTypes(config: HaAutomationConfig): string[] {
  const asList = (items: unknown) => (Array.isArray(items) ? items : items && typeof items === 'object' ? [items] : []);
  const triggers = [...asList(config.triggers), ...asList(config.trigger)];
  const types = triggers
    .map((t) => (t && typeof t === 'object' ? ((t as Record<string, unknown>)['trigger'] ?? (t as Record<string, unknown>)['platform']) : undefined))
    .filter((t): t is string => typeof t === 'string');
  return [...new Set(types)];
}

/** One unreadable config leaves that config out (and says so); it does not fail the whole run. */
async function readConfig<T>(entityId: string, problems: string[], read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    problems.push(`The config of ${entityId} could not be read (${error instanceof Error ? error.message : String(error)}).`);
    return null;
  }
}

async function mapConcurrently<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONFIG_READ_CONCURRENCY, items.length) }, worker));
  return results;
}
