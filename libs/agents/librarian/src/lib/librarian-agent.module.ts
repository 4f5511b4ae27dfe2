import { agentCardToken, agentProviderToken } from '@aether/core';
import { AgentDirectory } from '@aether/agent-runtime';
import { HomeAssistantClient } from '@aether/home-assistant';
import { CatalogPersistenceModule, CatalogStore } from '@aether/persistence';
import { Inject, Injectable, Module, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogQueryHandler } from './catalog-query/catalog-query.handler';
import { LibrarianChatResponder } from './chat/librarian-chat.responder';
import { CatalogWriteLock } from './discovery/catalog-write.lock';
import { DiscoveryService } from './discovery/discovery.service';
import { LibrarianAgent } from './librarian.agent';
import { LIBRARIAN_CARD } from './librarian.card';
import { LibrarianLifecycle } from './librarian-lifecycle.service';
import { DEFAULT_LIBRARIAN_OPTIONS, LIBRARIAN_OPTIONS, type LibrarianOptions } from './librarian.options';
import { DeltaSyncService } from './sync/delta-sync.service';

/** The Librarian's parts, built once per process; constructing them does no I/O. */
@Injectable()
export class LibrarianServices implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly options: LibrarianOptions;
  readonly discovery: DiscoveryService;
  readonly deltaSync: DeltaSyncService;
  readonly lifecycle: LibrarianLifecycle;
  readonly agent: LibrarianAgent;

  constructor(
    @Inject(HomeAssistantClient) homeAssistant: HomeAssistantClient,
    @Inject(CatalogStore) readonly store: CatalogStore,
    @Optional() @Inject(AgentDirectory) private readonly directory?: AgentDirectory,
    @Optional() @Inject(LIBRARIAN_OPTIONS) options?: Partial<LibrarianOptions>,
  ) {
    this.options = { ...DEFAULT_LIBRARIAN_OPTIONS, ...options };
    const lock = new CatalogWriteLock();
    this.discovery = new DiscoveryService(homeAssistant, store, lock);
    this.deltaSync = new DeltaSyncService(homeAssistant, store, lock, this.options.deltaSync);
    this.lifecycle = new LibrarianLifecycle(store, this.discovery, this.deltaSync, this.options);
    this.agent = new LibrarianAgent(new CatalogQueryHandler(homeAssistant, store, this.discovery), new LibrarianChatResponder(store, this.discovery));
  }

  /** Only the process that runs the Librarian keeps the catalog (each service owns its data). */
  onApplicationBootstrap(): void {
    if (this.options.autoStart && this.directory && !this.directory.isRemote('librarian')) this.lifecycle.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lifecycle.stop();
  }
}

/**
 * Provides the Librarian agent and its card. Needs `HomeAssistantClient` (global) and the
 * `DataSource` of the global `PersistenceModule` (for its catalog); `AgentDirectory` (global,
 * optional) tells it whether it runs here.
 */
@Module({
  imports: [CatalogPersistenceModule],
  providers: [
    LibrarianServices,
    { provide: agentProviderToken('librarian'), inject: [LibrarianServices], useFactory: (services: LibrarianServices) => services.agent },
    { provide: agentCardToken('librarian'), useValue: LIBRARIAN_CARD },
  ],
  exports: [agentProviderToken('librarian'), agentCardToken('librarian'), LibrarianServices],
})
export class LibrarianAgentModule {}
