import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { GatewayHealthService, type GatewayHealth, type GatewayReadiness } from './gateway-health.service';

/** Open (no API key): load balancers and people checking a first run must be able to read it. */
@Controller(GATEWAY_ROUTE_PREFIXES)
export class HealthController {
  constructor(private readonly health: GatewayHealthService) {}

  /** Always 200 while the gateway runs (liveness); `status: degraded` says a dependency is down. */
  @Get('health')
  check(): GatewayHealth {
    return this.health.check();
  }

  /** 200 when the gateway can take chat requests, 503 naming what is not up (or that it drains). */
  @Get('ready')
  ready(@Res({ passthrough: true }) response: Response): GatewayReadiness {
    const readiness = this.health.readiness();
    response.status(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }
}
