import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toOpenAiError } from './to-openai-error';

/**
 * Global filter of the gateway app: every error — including Nest's "no such route" — leaves as
 * OpenAI's `{"error":{message,type,param,code}}` with the matching status, so OpenAI clients can
 * report it. Streams handle their own errors once their headers are out; if one still reaches
 * here after the headers, the connection is simply ended.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toOpenAiError(exception);
    if (status >= 500) {
      const message = `${status} ${body.error.code ?? body.error.type}: ${
        exception instanceof Error ? exception.message : String(exception)
      }`;
      // Unexpected errors are hidden from the client, so their stack must reach the log.
      const stack = body.error.code === 'internal_error' && exception instanceof Error ? exception.stack : undefined;
      if (stack) this.logger.error(message, stack);
      else this.logger.error(message);
    }
    if (response.headersSent) {
      if (!response.writableEnded) response.end();
      return;
    }
    response.status(status).json(body);
  }
}
