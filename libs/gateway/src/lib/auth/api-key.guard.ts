import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OpenAiApiException } from '../errors/openai-error';
import { ApiKeyAuthService } from './api-key-auth.service';
import { setCaller } from './caller-identity';

const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or in the 'X-API-Key' header.";
const INVALID_KEY_MESSAGE = 'Incorrect API key provided.';

/** Lets a request through only with a valid gateway API key (or in open mode) and records the caller. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly auth: ApiKeyAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const result = this.auth.authenticate(request.headers);
    if (!result.ok) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="aether"');
      throw new OpenAiApiException(401, {
        message: result.reason === 'missing_key' ? MISSING_KEY_MESSAGE : INVALID_KEY_MESSAGE,
        type: 'authentication_error',
        code: 'invalid_api_key',
      });
    }
    setCaller(request, result.caller);
    return true;
  }
}
