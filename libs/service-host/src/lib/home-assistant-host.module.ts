import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import type { RunningDemoHome } from '@aether/ha-demo';
import { provideReadinessCheck } from '@aether/a2a';
import { HomeAssistantAccess, HomeAssistantClient, HomeAssistantModule, type HomeAssistantConnectionOptions } from '@aether/home-assistant';

/**
 * Decides which Home Assistant this process talks to: `HA_URL`/`HA_TOKEN` when set, otherwise the
 * bundled demo home, started in-process on a free loopback port and stopped with the app.
 */
@Injectable()
export class HomeAssistantConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('HomeAssistant');
  private demo?: RunningDemoHome;

  constructor(@Inject(AETHER_CONFIG) private readonly config: AetherConfig) {}

  get embedded(): boolean {
    return this.demo !== undefined;
  }

  async resolve(): Promise<HomeAssistantConnectionOptions> {
    const { url, token, timeoutMs, demo } = this.config.ha;
    if (url) return { url, token: token ?? '', timeoutMs };
    // Loaded only here: a process talking to a real Home Assistant never carries the demo's code.
    const { startDemoHome } = await import('@aether/ha-demo');
    this.demo = await startDemoHome(demo);
    this.logger.warn(
      `HA_URL is not set: using the bundled demo home at ${this.demo.url} (${
        demo.fixture ? `the house in ${demo.fixture}` : 'a simulated house'
      }, not your home). Set HA_URL and HA_TOKEN to use your Home Assistant.`,
    );
    return { url: this.demo.url, token: this.demo.token, timeoutMs };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.demo?.stop();
  }
}

@Module({ providers: [HomeAssistantConnection], exports: [HomeAssistantConnection] })
class HomeAssistantConnectionModule {}

/** Provides `HomeAssistantClient` globally, connected as `HomeAssistantConnection` decides. */
export const HomeAssistantHostModule = HomeAssistantModule.forRootAsync({
  imports: [HomeAssistantConnectionModule],
  inject: [HomeAssistantConnection],
  useFactory: (connection: HomeAssistantConnection) => connection.resolve(),
});

/**
 * A `/ready` check that Home Assistant answers, for services whose agent talks to it; its details
 * carry the token's rights to `/health`, where the gateway reads them for an agent it calls over A2A.
 */
export const homeAssistantReadinessCheck = provideReadinessCheck({
  useFactory: (ha: HomeAssistantClient, access: HomeAssistantAccess) => ({
    name: 'home-assistant',
    check: async () => void (await ha.ping()),
    details: () => ({ homeAssistantAccess: access.report() }),
  }),
  inject: [HomeAssistantClient, HomeAssistantAccess],
});
