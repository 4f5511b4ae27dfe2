import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { ReadinessChecks } from './readiness-checks';
import { ServedAgent } from './served-agent';

/** Time one readiness check may take before it counts as down. */
const READINESS_CHECK_TIMEOUT_MS = 3_000;

/** `GET /health` (the process is alive) and `GET /ready` (it can take work: 503 with details if not). */
@Controller()
export class HealthController {
  constructor(
    private readonly served: ServedAgent,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('health')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check(this.served.name).up()]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.indicators.check(this.served.name).attempt(() => void this.served.agent),
      ...this.readiness
        .all()
        .map((readiness) => () =>
          this.indicators
            .check(readiness.name)
            .attempt(({ signal }) => readiness.check(signal))
            .withTimeout(READINESS_CHECK_TIMEOUT_MS),
        ),
    ]);
  }
}
