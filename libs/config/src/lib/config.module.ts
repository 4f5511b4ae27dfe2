import { Global, Module, type DynamicModule } from '@nestjs/common';
import { loadConfig, type AetherConfig } from './aether-config';

/** DI token for the parsed `AetherConfig`. */
export const AETHER_CONFIG = Symbol.for('aether.config');

@Global()
@Module({})
export class AetherConfigModule {
  /**
   * Provides the config globally; pass one explicitly in tests. Without one, process.env is parsed
   * when the application is created (not at import), so a bad variable fails start-up with a
   * message naming it.
   */
  static forRoot(config?: AetherConfig): DynamicModule {
    return {
      module: AetherConfigModule,
      providers: [{ provide: AETHER_CONFIG, useFactory: () => config ?? loadConfig() }],
      exports: [AETHER_CONFIG],
    };
  }
}
