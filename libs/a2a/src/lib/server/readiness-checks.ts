import { Injectable, type FactoryProvider } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ServiceHealthDetails } from '@aether/core';

/** Something an agent service needs before it can take work (Home Assistant, a downstream agent, …). */
export interface ReadinessCheck {
  /** Key in the `/ready` report, e.g. `home-assistant`. */
  name: string;
  /** Resolves when ready; rejects (with a message worth reading) when not. */
  check(signal: AbortSignal): Promise<void>;
  /**
   * What this service knows of the dependency beyond up or down, read from memory (never a probe):
   * added to the liveness report, where its callers (the gateway's health) read it.
   */
  details?(): ServiceHealthDetails;
}

/**
 * Description of the DI tokens readiness checks are provided under. Nest has no multi-providers,
 * so each check gets its own token carrying this description and `/ready` collects them all.
 */
export const READINESS_CHECKS = 'aether.readiness-check';

/**
 * A provider contributing one `ReadinessCheck` to `GET /ready`; any module of the app may add one:
 * `providers: [provideReadinessCheck({ useFactory: (ha: HomeAssistantClient) => ({ name: 'home-assistant', check: () => ha.ping() }), inject: [HomeAssistantClient] })]`.
 */
export function provideReadinessCheck(
  provider: Pick<FactoryProvider<ReadinessCheck>, 'useFactory' | 'inject'>,
): FactoryProvider<ReadinessCheck> {
  return { provide: Symbol(READINESS_CHECKS), useFactory: provider.useFactory, inject: provider.inject };
}

/** Every `ReadinessCheck` provided anywhere in the app. */
@Injectable()
export class ReadinessChecks {
  private checks?: ReadinessCheck[];

  constructor(private readonly discovery: DiscoveryService) {}

  /** Discovered on first use (every provider is instantiated by then), whichever hook asks first. */
  all(): readonly ReadinessCheck[] {
    this.checks ??= this.discovery
      .getProviders()
      .filter((wrapper) => typeof wrapper.token === 'symbol' && wrapper.token.description === READINESS_CHECKS)
      .map((wrapper) => wrapper.instance as ReadinessCheck)
      .filter((check) => check && typeof check.check === 'function');
    return this.checks;
  }
}
