import { ShutdownState } from '@aether/core';
import { provideReadinessCheck, type ReadinessCheck } from '@aether/a2a';
import { AgentDirectory } from '@aether/agent-runtime';
import { AETHER_CONFIG, loadConfig, type AetherConfig } from '@aether/config';
import { HomeAssistantClient } from '@aether/home-assistant';
import { LlmProfile, OfflineUtilityModel, UtilityModel } from '@aether/llm';
import { MetricsRegistry } from '@aether/observability';
import { ApiKeyStore, ConversationStore, ModelUsageStore } from '@aether/persistence';
import { Global, Module, type DynamicModule, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { GatewayModule } from '../lib/gateway.module';
import { enableGatewayCors } from '../lib/http/cors';
import { FakeAgentDirectory } from './fake-agent-directory';
import { FakeLlmProfile } from './fake-llm-profile';
import { InMemoryConversationStore } from './in-memory-conversation.store';
import { InMemoryModelUsageStore } from './in-memory-model-usage.store';

export interface GatewayTestAppOptions {
  config?: Partial<AetherConfig>;
  agents?: FakeAgentDirectory;
  models?: LlmProfile;
  /** The model behind utility requests; the real offline one when not given. */
  utilityModel?: UtilityModel;
  homeAssistantUrl?: string;
  metrics?: MetricsRegistry;
  /** Conversation memory; an `InMemoryConversationStore` when not given. */
  conversations?: ConversationStore;
  /** Model-call usage; an `InMemoryModelUsageStore` when not given. */
  modelUsage?: ModelUsageStore;
  /** Named API keys; none (only `config.apiKeys`) when not given. */
  apiKeys?: ApiKeyStore;
  logger?: LoggerService | false;
  /** What the app's `/ready` checks besides remote agents (the real app: database, Home Assistant). */
  readinessChecks?: ReadinessCheck[];
}

export interface GatewayTestApp {
  app: INestApplication;
  agents: FakeAgentDirectory;
  config: AetherConfig;
  conversations: ConversationStore;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<AetherConfig> = {}): AetherConfig {
  return { ...loadConfig({ NODE_ENV: 'test' }), apiKeys: [], ...overrides };
}

/** What the app composes around GatewayModule: global config, agent directory, model factory, conversation store, HA client, metrics. */
function dependencies(
  config: AetherConfig,
  agents: FakeAgentDirectory,
  { models, utilityModel, homeAssistantUrl, metrics, conversations, modelUsage, apiKeys, readinessChecks = [] }: GatewayTestAppOptions,
): DynamicModule {
  @Global()
  @Module({})
  class GatewayTestDependencies {}
  const providers = [
    { provide: AETHER_CONFIG, useValue: config },
    { provide: AgentDirectory, useValue: agents },
    { provide: LlmProfile, useValue: models ?? new FakeLlmProfile() },
    { provide: UtilityModel, useValue: utilityModel ?? new OfflineUtilityModel() },
    { provide: ConversationStore, useValue: conversations ?? new InMemoryConversationStore() },
    { provide: ModelUsageStore, useValue: modelUsage ?? new InMemoryModelUsageStore() },
    { provide: ShutdownState, useValue: new ShutdownState() },
    ...(homeAssistantUrl ? [{ provide: HomeAssistantClient, useValue: { baseUrl: homeAssistantUrl } }] : []),
    ...(metrics ? [{ provide: MetricsRegistry, useValue: metrics }] : []),
    ...(apiKeys ? [{ provide: ApiKeyStore, useValue: apiKeys }] : []),
  ];
  const checks = readinessChecks.map((check) => provideReadinessCheck({ useFactory: () => check }));
  return { module: GatewayTestDependencies, providers: [...providers, ...checks], exports: providers.map((p) => p.provide) };
}

/** Builds the Nest app around `GatewayModule`, created like the real one (`bodyParser: false`) and listening on loopback. */
export async function createGatewayApp(options: GatewayTestAppOptions = {}): Promise<INestApplication> {
  const config = testConfig(options.config);
  const moduleRef = await Test.createTestingModule({
    imports: [dependencies(config, options.agents ?? new FakeAgentDirectory(), options), GatewayModule],
  }).compile();
  return moduleRef.createNestApplication({ bodyParser: false, logger: options.logger ?? false });
}

export async function startGatewayApp(options: GatewayTestAppOptions = {}): Promise<GatewayTestApp> {
  const agents = options.agents ?? new FakeAgentDirectory();
  const conversations = options.conversations ?? new InMemoryConversationStore();
  const config = testConfig(options.config);
  const app = await createGatewayApp({ ...options, agents, config, conversations });
  // As the app's bootstrap does (apps/gateway/src/main.ts).
  enableGatewayCors(app, config.corsOrigins);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, agents, config, conversations, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
