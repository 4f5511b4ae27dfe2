import { Controller, Get } from '@nestjs/common';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { GatewayHealthService, type GatewayHealth } from './gateway-health.service';

/** Open (no API key): load balancers and people checking a first run must be able to read it. */
@Controller(GATEWAY_ROUTE_PREFIXES)
export class HealthController {
  constructor(private readonly health: GatewayHealthService) {}

  /** Always 200 while the gateway runs; `status: degraded` says a remote agent is unreachable. */
  @Get('health')
  check(): Promise<GatewayHealth> {
    return this.health.check();
  }
}
