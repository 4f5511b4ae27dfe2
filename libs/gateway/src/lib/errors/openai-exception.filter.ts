import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { ArgumentsHost, Catch, Inject, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { retryHeaders } from './retry-headers';
import { toOpenAiError } from './to-openai-error';

/**
 * Global filter of the gateway app: every error — including Nest's "no such route" — leaves as
 * OpenAI's `{"error":{message,type,param,code}}` with the matching status and the headers that say
 * whether to retry (see `retryHeaders`), so OpenAI clients can report it and do not retry what
 * cannot succeed. Streams handle their own errors once their headers are out; if one still reaches
 * here after the headers, the connection is simply ended.
 *
 * One log line per failed request: an error for a server fault (5xx; with the stack when the cause
 * is unexpected), a warning for what the client can act on (4xx, which includes a capability not
 * built yet: not a fault).
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  constructor(@Inject(AETHER_CONFIG) private readonly config: AetherConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = toOpenAiError(exception);
    const message = `${request.method} ${request.originalUrl ?? request.url} → ${status} ${body.error.code ?? body.error.type}: ${
      exception instanceof Error ? exception.message : String(exception)
    }`;
    if (status >= 500) {
      // Unexpected errors are hidden from the client, so their stack must reach the log.
      const stack = body.error.code === 'internal_error' && exception instanceof Error ? exception.stack : undefined;
      if (stack) this.logger.error(message, stack);
      else this.logger.error(message);
    } else {
      this.logger.warn(message);
    }
    if (response.headersSent) {
      if (!response.writableEnded) response.end();
      return;
    }
    for (const [name, value] of Object.entries(retryHeaders(status, this.config.retryAfterMs))) {
      // A limit that set its own Retry-After (429) knows better.
      if (!response.hasHeader(name)) response.setHeader(name, value);
    }
    response.status(status).json(body);
  }
}
