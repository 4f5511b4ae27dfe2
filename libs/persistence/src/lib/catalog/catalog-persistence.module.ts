import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogStore } from './catalog.store';
import { TypeOrmCatalogStore } from './typeorm-catalog.store';

/**
 * Provides `CatalogStore` over the process's `DataSource` (from the global `PersistenceModule`).
 * Imported by the Librarian, the catalog's only owner.
 */
@Module({
  providers: [{ provide: CatalogStore, inject: [DataSource], useFactory: (dataSource: DataSource) => new TypeOrmCatalogStore(dataSource) }],
  exports: [CatalogStore],
})
export class CatalogPersistenceModule {}
