import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OpenAiApiException } from '../errors/openai-error';
import { ApiKeyAuthService } from './api-key-auth.service';
import { ApiKeyLimits } from './api-key-limits.service';
import { setCaller } from './caller-identity';

const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or in the 'X-API-Key' header.";
const INVALID_KEY_MESSAGE = 'Incorrect API key provided.';
const REVOKED_KEY_MESSAGE = 'This API key has been revoked.';

/**
 * Lets a request through only with a valid gateway API key (or in open mode) and within the key's
 * limits, and records the caller.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly limits: ApiKeyLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const result = await this.auth.authenticate(request.headers);
    if (!result.ok) {
      if (result.reason === 'revoked_key' && result.keyName) this.limits.revoked(result.keyName);
      response.setHeader('WWW-Authenticate', 'Bearer realm="aether"');
      throw new OpenAiApiException(401, {
        message: result.reason === 'missing_key' ? MISSING_KEY_MESSAGE : result.reason === 'revoked_key' ? REVOKED_KEY_MESSAGE : INVALID_KEY_MESSAGE,
        type: 'authentication_error',
        code: 'invalid_api_key',
      });
    }
    await this.limits.admit(result.caller, response);
    setCaller(request, result.caller);
    return true;
  }
}
