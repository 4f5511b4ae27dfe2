import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { ReadinessChecks, TaskStoreFactory } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { DataSource } from 'typeorm';
import { createPostgresTestSchema, testDatabaseKinds, type PostgresTestSchema } from '../testing';
import { TypeOrmTaskStoreFactory } from './a2a-tasks/typeorm-task-store.factory';
import { ConversationStore } from './conversations/conversation.store';
import { PendingMigrationsError } from './database/migration-runner';
import { PersistenceModule } from './persistence.module';

@Module({ imports: [DiscoveryModule], providers: [ReadinessChecks] })
class ReadinessTestModule {}

function boot(env: Record<string, string>): Promise<INestApplicationContext> {
  @Module({
    imports: [AetherConfigModule.forRoot(loadConfig(env)), PersistenceModule.forRoot({ service: 'gateway' }), ReadinessTestModule],
  })
  class TestAppModule {}
  return NestFactory.createApplicationContext(TestAppModule, { logger: false, abortOnError: false });
}

describe.each(testDatabaseKinds())('PersistenceModule on %s', (kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let dataDir: string;

  beforeEach(async () => {
    if (kind === 'pglite') {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'aether-data-'));
      env = { NODE_ENV: 'development', AETHER_DATA_DIR: dataDir };
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    } else {
      const schema: PostgresTestSchema = await createPostgresTestSchema();
      env = { NODE_ENV: 'development', DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema };
      cleanup = schema.drop;
    }
  });
  afterEach(async () => {
    await cleanup();
  });

  it('migrates at start in development, serves the stores, and keeps data across restarts', async () => {
    let app = await boot(env);
    try {
      expect(app.get(TaskStoreFactory)).toBeInstanceOf(TypeOrmTaskStoreFactory);
      const checks = app.get(ReadinessChecks).all();
      const database = checks.find((check) => check.name === 'database');
      expect(database).toBeDefined();
      await expect(database!.check(new AbortController().signal)).resolves.toBeUndefined();
      await app.get(ConversationStore).append({ conversationId: 'kept', userId: 'alice', role: 'user', content: 'remember me' });
    } finally {
      await app.close();
    }
    expect(app.get(DataSource).isInitialized).toBe(false); // closed with the app
    // one PGlite directory per service under AETHER_DATA_DIR
    if (kind === 'pglite') expect(existsSync(path.join(dataDir, 'gateway', 'pglite', 'PG_VERSION'))).toBe(true);

    app = await boot(env);
    try {
      expect((await app.get(ConversationStore).get('kept', 'alice'))?.messages[0].content).toBe('remember me');
    } finally {
      await app.close();
    }
  }, 180_000);

  it('refuses to start in production on a schema that is behind', async () => {
    await expect(boot({ ...env, NODE_ENV: 'production' })).rejects.toThrow(PendingMigrationsError);
    // and the refusal released the database: a development start can migrate it
    const app = await boot(env);
    await app.close();
  }, 180_000);
});
