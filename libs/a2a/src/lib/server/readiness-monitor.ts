import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { DependencyMonitor } from './dependency-monitor';
import { ReadinessChecks } from './readiness-checks';

/** Probes this agent service's readiness checks in the background (`AETHER_HEALTH_*`); `/ready` reads it. */
@Injectable()
export class ReadinessMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private monitor?: DependencyMonitor;

  constructor(
    private readonly readiness: ReadinessChecks,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.monitor = new DependencyMonitor(this.readiness.all(), this.config.health);
    this.monitor.start();
  }

  onApplicationShutdown(): void {
    this.monitor?.stop();
  }

  get dependencies(): DependencyMonitor {
    if (!this.monitor) throw new Error('ReadinessMonitor used before the application bootstrapped');
    return this.monitor;
  }
}
