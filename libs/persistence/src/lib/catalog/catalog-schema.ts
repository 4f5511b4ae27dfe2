import { CreateCatalog1795900000100 } from './1795900000100-create-catalog.migration';
import { DiscoverySessionEntity } from './discovery-session.entity';
import { HaAreaEntity } from './ha-area.entity';
import { HaAutomationEntity } from './ha-automation.entity';
import { HaDeviceEntity } from './ha-device.entity';
import { HaEntityEntity } from './ha-entity.entity';
import { HaFloorEntity } from './ha-floor.entity';
import { HaSceneEntity } from './ha-scene.entity';
import { HaScriptEntity } from './ha-script.entity';

/** The catalog's entities, spread into the database's registry (../persistence-schema.ts). */
export const CATALOG_ENTITIES = [
  HaFloorEntity,
  HaAreaEntity,
  HaDeviceEntity,
  HaEntityEntity,
  HaAutomationEntity,
  HaScriptEntity,
  HaSceneEntity,
  DiscoverySessionEntity,
];

export const CATALOG_MIGRATIONS = [CreateCatalog1795900000100];
