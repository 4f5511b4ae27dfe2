import { HttpException } from '@nestjs/common';

/** OpenAI's error `type` values that Aether uses. */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

/** The body of every gateway error, exactly as OpenAI shapes it. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: OpenAiErrorType;
    param: string | null;
    code: string | null;
  };
}

export interface OpenAiErrorDetails {
  message: string;
  type: OpenAiErrorType;
  param?: string | null;
  code?: string | null;
}

/**
 * An HTTP error that already knows its OpenAI envelope. Thrown by guards, middleware and handlers;
 * `OpenAiExceptionFilter` writes it out unchanged.
 */
export class OpenAiApiException extends HttpException {
  readonly body: OpenAiErrorBody;

  constructor(status: number, details: OpenAiErrorDetails) {
    super(details.message, status);
    this.body = {
      error: {
        message: details.message,
        type: details.type,
        param: details.param ?? null,
        code: details.code ?? null,
      },
    };
  }

  static invalidRequest(message: string, param: string | null = null, code: string | null = null): OpenAiApiException {
    return new OpenAiApiException(400, { message, type: 'invalid_request_error', param, code });
  }
}

/** The error type OpenAI would report for an HTTP status without a more specific one. */
export function errorTypeForStatus(status: number): OpenAiErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
