import { HomeAssistantClient } from '@aether/home-assistant';
import { CatalogPersistenceModule, CatalogStore } from '@aether/persistence';
import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { CatalogQueryHandler } from './catalog-query/catalog-query.handler';
import { LibrarianChatResponder } from './chat/librarian-chat.responder';
import { CatalogWriteLock } from './discovery/catalog-write.lock';
import { DiscoveryService } from './discovery/discovery.service';
import { LibrarianAgent } from './librarian.agent';
import { LibrarianLifecycle } from './librarian-lifecycle.service';
import { DEFAULT_LIBRARIAN_OPTIONS, LIBRARIAN_OPTIONS, type LibrarianOptions } from './librarian.options';
import { DeltaSyncService } from './sync/delta-sync.service';

/** The options in force: the defaults, overridden by an optional `LIBRARIAN_OPTIONS` provider. */
const RESOLVED_OPTIONS = 'aether.librarian.resolved-options';

// The Librarian's parts are plain classes (usable without Nest, as their specs do); the factories
// below make each one a provider of this module.
const librarianParts: Provider[] = [
  {
    provide: RESOLVED_OPTIONS,
    inject: [{ token: LIBRARIAN_OPTIONS, optional: true }],
    useFactory: (options?: Partial<LibrarianOptions>): LibrarianOptions => ({ ...DEFAULT_LIBRARIAN_OPTIONS, ...options }),
  },
  CatalogWriteLock,
  {
    provide: DiscoveryService,
    inject: [HomeAssistantClient, CatalogStore, CatalogWriteLock],
    useFactory: (ha: HomeAssistantClient, store: CatalogStore, lock: CatalogWriteLock) => new DiscoveryService(ha, store, lock),
  },
  {
    provide: DeltaSyncService,
    inject: [HomeAssistantClient, CatalogStore, CatalogWriteLock, RESOLVED_OPTIONS],
    useFactory: (ha: HomeAssistantClient, store: CatalogStore, lock: CatalogWriteLock, options: LibrarianOptions) =>
      new DeltaSyncService(ha, store, lock, options.deltaSync),
  },
  {
    provide: LibrarianLifecycle,
    inject: [CatalogStore, DiscoveryService, DeltaSyncService, RESOLVED_OPTIONS],
    useFactory: (store: CatalogStore, discovery: DiscoveryService, deltaSync: DeltaSyncService, options: LibrarianOptions) =>
      new LibrarianLifecycle(store, discovery, deltaSync, options),
  },
  {
    provide: CatalogQueryHandler,
    inject: [HomeAssistantClient, CatalogStore, DiscoveryService],
    useFactory: (ha: HomeAssistantClient, store: CatalogStore, discovery: DiscoveryService) => new CatalogQueryHandler(ha, store, discovery),
  },
  {
    provide: LibrarianChatResponder,
    inject: [CatalogStore, DiscoveryService],
    useFactory: (store: CatalogStore, discovery: DiscoveryService) => new LibrarianChatResponder(store, discovery),
  },
  LibrarianAgent,
];

/**
 * The Librarian agent, which owns the catalog. Needs `HomeAssistantClient` (global) and the
 * `DataSource` of the global `PersistenceModule`. Loaded only where the Librarian runs, so while
 * the app runs it keeps the catalog fresh (start-up discovery, then delta sync) unless
 * `LIBRARIAN_OPTIONS` says `autoStart: false`.
 */
@Module({
  imports: [CatalogPersistenceModule],
  providers: librarianParts,
  exports: [LibrarianLifecycle, DeltaSyncService],
})
export class LibrarianAgentModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly lifecycle: LibrarianLifecycle,
    @Inject(RESOLVED_OPTIONS) private readonly options: LibrarianOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart) this.lifecycle.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lifecycle.stop();
  }
}
