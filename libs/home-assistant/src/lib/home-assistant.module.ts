import { Global, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency } from '@nestjs/common';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantAccess } from './home-assistant-access';
import { HomeAssistantClient } from './home-assistant.client';
import type { HomeAssistantCallObserver, HomeAssistantConnectionOptions } from './home-assistant-connection-options';
import { MetricsRegistry } from '@aether/observability';

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
      providers: [
        {
          provide: HomeAssistantClient,
          inject: [{ token: MetricsRegistry, optional: true }],
          useFactory: (metrics?: MetricsRegistry) => createHomeAssistantClient({ ...options, onCall: callMetrics(metrics) }),
        },
        HomeAssistantAccess,
      ],
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
          inject: [...(options.inject ?? []), { token: MetricsRegistry, optional: true }],
          useFactory: async (...deps: never[]) => {
            const metrics = deps.at(-1) as MetricsRegistry | undefined;
            return createHomeAssistantClient({ ...(await options.useFactory(...(deps.slice(0, -1) as never[]))), onCall: callMetrics(metrics) });
          },
        },
        HomeAssistantAccess,
      ],
      exports: [HomeAssistantClient, HomeAssistantAccess],
    };
  }
}

/**
 * `aether_ha_request_duration_seconds{call, outcome}`: every call to Home Assistant, REST or
 * WebSocket, named without ids, with `ok` or the error kind (timeout, unreachable, auth, http, …).
 */
function callMetrics(metrics: MetricsRegistry | undefined): HomeAssistantCallObserver | undefined {
  if (!metrics) return undefined;
  const duration = metrics.histogram('aether_ha_request_duration_seconds', 'Calls to Home Assistant (REST and WebSocket) by call and outcome, in seconds', ['call', 'outcome']);
  return (call, seconds, outcome) => duration.observe({ call, outcome }, seconds);
}
