import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { refuseOversizeBody } from '@aether/a2a';
import { OpenAiApiException } from '../errors/openai-error';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/**
 * JSON body parsing for the gateway's routes (apps start with `bodyParser: false`, so each API
 * chooses its own limits and error shape). Parser failures leave as OpenAI errors: malformed JSON
 * → 400, body over `bodyLimitBytes` → 413.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(AETHER_CONFIG) private readonly config: AetherConfig) {
    this.parse = express.json({ limit: config.bodyLimitBytes });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    // body-parser would buffer up to the limit first: an oversize Content-Length is refused unread.
    if (refuseOversizeBody(request, response, this.config.bodyLimitBytes, () => next(this.toOpenAiError({ type: 'entity.too.large' })))) return;
    void this.parse(request, response, (error?: unknown) => {
      next(error === undefined ? undefined : this.toOpenAiError(error as BodyParserError));
    });
  }

  private toOpenAiError(error: BodyParserError): OpenAiApiException {
    switch (error.type) {
      case 'entity.too.large':
        return new OpenAiApiException(413, {
          message: `Request body too large: the limit is ${this.config.bodyLimitBytes} bytes.`,
          type: 'invalid_request_error',
          code: 'request_too_large',
        });
      case 'entity.parse.failed':
        return OpenAiApiException.invalidRequest(
          `We could not parse the JSON body of your request: ${error.message ?? 'invalid JSON'}.`,
          null,
          'invalid_json',
        );
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new OpenAiApiException(415, {
          message: error.message ?? 'Unsupported request body encoding.',
          type: 'invalid_request_error',
          code: 'unsupported_encoding',
        });
      default:
        return new OpenAiApiException(error.status && error.status >= 400 && error.status < 600 ? error.status : 400, {
          message: `Could not read the request body: ${error.message ?? 'unknown error'}.`,
          type: 'invalid_request_error',
          code: 'invalid_body',
        });
    }
  }
}
