import { Global, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency } from '@nestjs/common';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantAccess } from './home-assistant-access';
import { HomeAssistantClient } from './home-assistant.client';
import type { HomeAssistantConnectionOptions } from './home-assistant-connection-options';

export interface HomeAssistantModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Resolves the connection, e.g. from AetherConfig, or after starting the demo home. */
  useFactory: (...deps: never[]) => HomeAssistantConnectionOptions | Promise<HomeAssistantConnectionOptions>;
}

/**
 * Provides `HomeAssistantClient` globally, and `HomeAssistantAccess` (the token's rights, checked at start). The client's WebSocket is closed when the application
 * shuts down (`enableShutdownHooks` / `app.close()`).
 */
@Global()
@Module({})
export class HomeAssistantModule {
  static forRoot(options: HomeAssistantConnectionOptions): DynamicModule {
    return {
      module: HomeAssistantModule,
      providers: [{ provide: HomeAssistantClient, useFactory: () => createHomeAssistantClient(options) }, HomeAssistantAccess],
      exports: [HomeAssistantClient, HomeAssistantAccess],
    };
  }

  static forRootAsync(options: HomeAssistantModuleAsyncOptions): DynamicModule {
    return {
      module: HomeAssistantModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: HomeAssistantClient,
          inject: options.inject ?? [],
          useFactory: async (...deps: never[]) => createHomeAssistantClient(await options.useFactory(...deps)),
        },
        HomeAssistantAccess,
      ],
      exports: [HomeAssistantClient, HomeAssistantAccess],
    };
  }
}
