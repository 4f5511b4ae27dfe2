import { TypeOrmCatalogStore } from '@aether/persistence';
import { openTestDatabase, type TestDatabase } from '@aether/persistence/testing';

export interface CatalogTestDatabase {
  database: TestDatabase;
  store: TypeOrmCatalogStore;
  /** Empties the catalog and its sessions. */
  reset(): Promise<void>;
}

/** A migrated in-memory PGlite with the real catalog store on it. */
export async function openCatalogTestDatabase(): Promise<CatalogTestDatabase> {
  const database = await openTestDatabase('pglite');
  return {
    database,
    store: new TypeOrmCatalogStore(database.dataSource),
    reset: async () =>
      void (await database.dataSource.query(
        'TRUNCATE ha_floors, ha_areas, ha_devices, ha_entities, ha_automations, ha_scripts, ha_scenes, discovery_sessions',
      )),
  };
}
