import { Global, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { FailureClassifier, provideReadinessCheck, TaskStoreFactory } from '@aether/a2a';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { DataSource } from 'typeorm';
import { TypeOrmTaskStoreFactory } from './a2a-tasks/typeorm-task-store.factory';
import { ApiKeyStore } from './api-keys/api-key.store';
import { TypeOrmApiKeyStore } from './api-keys/typeorm-api-key.store';
import { ModelUsageStore } from './model-usage/model-usage.store';
import { TypeOrmModelUsageStore } from './model-usage/typeorm-model-usage.store';
import { ProposalStore } from './proposals/proposal.store';
import { InsightStore } from './insights/insight.store';
import { TypeOrmInsightStore } from './insights/typeorm-insight.store';
import { TypeOrmProposalStore } from './proposals/typeorm-proposal.store';
import { ConversationStore } from './conversations/conversation.store';
import { TypeOrmConversationStore } from './conversations/typeorm-conversation.store';
import { openDataSource } from './database/aether-data-source';
import { databaseTargetFor, describeDatabaseTarget } from './database/database-target';
import { RESTART_LOCK_WAIT_MS } from './database/pglite-data-dir-lock';
import { prepareSchema } from './database/migration-runner';
import { StorageFailureClassifier } from './database/storage-error';

export interface PersistenceModuleOptions {
  /** The process (`gateway`, `architect`, …): names its PGlite directory and its PostgreSQL connections. */
  service: string;
}

/** Opens the service's database and brings its schema up to date (or refuses a stale one in production). */
export async function openServiceDatabase(config: AetherConfig, service: string, logger = new Logger('Persistence')): Promise<DataSource> {
  const target = databaseTargetFor(config, service);
  const description = describeDatabaseTarget(target);
  if (target.kind === 'pglite') {
    logger.warn(
      `DATABASE_URL is not set: using ${description} (data of this process only, kept across restarts). Set DATABASE_URL to use PostgreSQL.`,
    );
  } else {
    logger.log(`Using ${description}`);
  }
  // A service restarted right after it was killed waits for its old lock on an embedded database to go stale.
  const dataSource = await openDataSource(target, `aether-${service}`, {
    waitMs: RESTART_LOCK_WAIT_MS,
    onLost: (error) => logger.error(`Lost the lock on ${description}: ${error.message}`),
  });
  try {
    const applied = await prepareSchema(dataSource, config.nodeEnv === 'production' ? 'require-current' : 'run');
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Aether's database for one process: the TypeORM `DataSource` (injectable by its class), the
 * conversation store, the gateway's named API keys, and the A2A task stores of the agents hosted here.
 *
 * A plain `DataSource` provider rather than `@nestjs/typeorm`: start-up here must open the database,
 * then migrate or refuse a stale schema by NODE_ENV (which needs the injected config), and fail at
 * once — `TypeOrmModule`'s factory sees only the options and retries failed starts by default.
 * Stores use the DataSource directly, so nothing needs `@InjectRepository`.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          useFactory: (config: AetherConfig) => openServiceDatabase(config, options.service),
          inject: [AETHER_CONFIG],
        },
        DataSourceCloser,
        { provide: ConversationStore, useClass: TypeOrmConversationStore },
        { provide: ApiKeyStore, useClass: TypeOrmApiKeyStore },
        { provide: ModelUsageStore, useClass: TypeOrmModelUsageStore },
        { provide: ProposalStore, useClass: TypeOrmProposalStore },
        { provide: InsightStore, useClass: TypeOrmInsightStore },
        { provide: TaskStoreFactory, useClass: TypeOrmTaskStoreFactory },
        { provide: FailureClassifier, useClass: StorageFailureClassifier },
        provideReadinessCheck({
          useFactory: (dataSource: DataSource) => ({
            name: 'database',
            check: async () => void (await dataSource.query('SELECT 1')),
          }),
          inject: [DataSource],
        }),
      ],
      exports: [DataSource, ConversationStore, ApiKeyStore, ModelUsageStore, ProposalStore, InsightStore, TaskStoreFactory, FailureClassifier],
    };
  }
}

