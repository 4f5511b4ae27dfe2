import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AETHER_CONFIG, ConfigError, type AetherConfig } from '@aether/config';
import { jsonRpcError, JSON_RPC_UNAUTHORIZED } from './json-rpc-errors';

/**
 * Requires `Authorization: Bearer <AETHER_SERVICE_TOKEN>` on A2A calls. Without a configured token
 * a production service refuses to start; elsewhere it runs open and says so once.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(ServiceTokenGuard.name);
  private readonly expectedDigest?: Buffer;

  constructor(@Inject(AETHER_CONFIG) private readonly config: AetherConfig) {
    if (config.serviceToken) this.expectedDigest = digest(config.serviceToken);
  }

  onModuleInit(): void {
    if (this.expectedDigest) return;
    if (this.config.nodeEnv === 'production') {
      throw new ConfigError(
        'AETHER_SERVICE_TOKEN',
        'must be set in production: agent services do not accept unauthenticated A2A calls',
      );
    }
    this.logger.warn(
      '!!! AETHER_SERVICE_TOKEN is not set: this agent service accepts A2A calls from ANYONE who can reach it. ' +
        'Set it (the same value in every Aether process) before exposing the service. !!!',
    );
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expectedDigest) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const presented = bearerToken(req.headers.authorization);
    // Comparing fixed-length digests keeps the comparison constant-time whatever the token length.
    if (presented !== undefined && timingSafeEqual(digest(presented), this.expectedDigest)) return true;

    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="aether-agent"');
    const id = (req.body as { id?: unknown } | undefined)?.id;
    throw new UnauthorizedException(
      jsonRpcError(
        typeof id === 'string' || typeof id === 'number' ? id : null,
        JSON_RPC_UNAUTHORIZED,
        presented === undefined ? 'Missing service token (Authorization: Bearer …)' : 'Invalid service token',
      ),
    );
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1] : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
