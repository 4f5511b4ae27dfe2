import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { MetricsRegistry } from '@aether/observability';
import { Global, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ChatModelFactory } from './chat-model-factory';
import { ConfiguredLlmProfile, LlmProfile } from './llm-profile';
import { resolveLlmConnection } from './llm-connection';
import { ModelCallMetrics } from './resilience/model-call.metrics';
import { OfflineUtilityModel } from './utility/offline-utility.model';
import { OpenAiUtilityModel } from './utility/openai-utility.model';
import { UtilityModel } from './utility/utility-model';

export interface LlmModuleOptions {
  /**
   * Provide `ChatModelFactory` (default true): for processes that host an agent asking a model.
   * Without it only `LlmProfile` is provided, and LangChain is never loaded.
   */
  chatModels?: boolean;
}

/**
 * Provides `LlmProfile`, `UtilityModel` (one direct model call, for clients' utility requests) and, for processes whose agents ask a model, `ChatModelFactory`) globally,
 * built from `AETHER_CONFIG` (import `AetherConfigModule.forRoot()` alongside). Announces once at
 * startup which LLM this process uses.
 */
@Global()
@Module({})
export class LlmModule {
  static forRoot(options: LlmModuleOptions = {}): DynamicModule {
    const chatModels = options.chatModels ?? true;
    const providers: Provider[] = [
      {
        provide: LlmProfile,
        inject: [AETHER_CONFIG],
        useFactory: (config: AetherConfig): LlmProfile => {
          const profile = new ConfiguredLlmProfile(config.llm);
          new Logger('LLM').log(profile.describe());
          return profile;
        },
      },
      {
        provide: UtilityModel,
        inject: [AETHER_CONFIG, { token: MetricsRegistry, optional: true }],
        useFactory: (config: AetherConfig, metrics?: MetricsRegistry): UtilityModel => {
          const connection = resolveLlmConnection(config.llm);
          return connection.provider === 'offline' ? new OfflineUtilityModel() : new OpenAiUtilityModel(connection, metrics ? new ModelCallMetrics(metrics) : undefined);
        },
      },
    ];
    if (chatModels) {
      providers.push({
        provide: ChatModelFactory,
        inject: [AETHER_CONFIG, { token: MetricsRegistry, optional: true }],
        // Imported here, not at the top: the factory pulls in LangChain and the OpenAI client
        // (~100 MB of a process's memory), which processes without a model-asking agent never need.
        useFactory: async (config: AetherConfig, metrics?: MetricsRegistry): Promise<ChatModelFactory> => {
          const { ConfiguredChatModelFactory } = await import('./configured-chat-model.factory');
          return new ConfiguredChatModelFactory(config.llm, metrics ? new ModelCallMetrics(metrics) : undefined);
        },
      });
    }
    return {
      module: LlmModule,
      providers,
      exports: chatModels ? [LlmProfile, UtilityModel, ChatModelFactory] : [LlmProfile, UtilityModel],
    };
  }
}
