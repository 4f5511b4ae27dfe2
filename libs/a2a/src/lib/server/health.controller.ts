import { Controller, Get, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { ShutdownState, type ServiceHealthDetails } from '@aether/core';
import { ReadinessChecks } from './readiness-checks';
import { ReadinessMonitor } from './readiness-monitor';
import { ServedAgent } from './served-agent';

/**
 * `GET /health`: liveness — the process answers; it never touches a dependency, so a hung database
 * or Home Assistant cannot get a live container restarted. `GET /ready`: 200 when every dependency
 * was up at its last background probe (`ReadinessMonitor`) and the gate is open; 503 naming the
 * failing ones otherwise. Neither probes anything per request.
 */
@Controller()
export class HealthController {
  constructor(
    private readonly served: ServedAgent,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly monitor: ReadinessMonitor,
    private readonly readiness: ReadinessChecks,
    // Provided once per process by the service host (graceful shutdown begins the drain).
    @Optional() private readonly shutdown: ShutdownState = new ShutdownState(),
  ) {}

  @Get('health')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    // What the dependencies' checks know from memory (e.g. the HA token's rights) rides along for callers.
    const details: ServiceHealthDetails & Record<string, unknown> = Object.assign({}, ...this.readiness.all().map((check) => check.details?.() ?? {}));
    return this.health.check([() => this.indicators.check(this.served.name).up(details)]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const states = this.monitor.dependencies.states();
    return this.health.check([
      () => this.indicators.check(this.served.name).attempt(() => void this.served.agent),
      () => (this.shutdown.isDraining ? this.indicators.check('accepting').down({ message: 'draining' }) : this.indicators.check('accepting').up()),
      ...Object.entries(states).map(([name, state]) => () => {
        const indicator = this.indicators.check(name);
        // `status` is terminus's own key.
        const { error, status: _status, ...seen } = state;
        return state.status === 'up' ? indicator.up(seen) : indicator.down({ ...seen, message: error ?? 'not probed yet' });
      }),
    ]);
  }
}
