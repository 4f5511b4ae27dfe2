import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ChatModelFactory } from './chat-model-factory';
import { ConfiguredChatModelFactory } from './configured-chat-model.factory';

/**
 * Provides `ChatModelFactory` globally, built from `AETHER_CONFIG` (import `AetherConfigModule.forRoot()`
 * alongside). Announces once at startup which LLM this process uses.
 */
@Global()
@Module({})
export class LlmModule {
  static forRoot(): DynamicModule {
    return {
      module: LlmModule,
      providers: [
        {
          provide: ChatModelFactory,
          inject: [AETHER_CONFIG],
          useFactory: (config: AetherConfig): ChatModelFactory => {
            const factory = new ConfiguredChatModelFactory(config.llm);
            new Logger(LlmModule.name).log(factory.describe());
            return factory;
          },
        },
      ],
      exports: [ChatModelFactory],
    };
  }
}
