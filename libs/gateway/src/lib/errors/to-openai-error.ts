import { AgentError, type AgentErrorCode } from '@aether/core';
import { isStorageError } from '@aether/persistence';
import { HttpException } from '@nestjs/common';
import { errorTypeForStatus, OpenAiApiException, type OpenAiErrorBody } from './openai-error';

export interface OpenAiErrorResponse {
  status: number;
  body: OpenAiErrorBody;
}

/**
 * HTTP status of a failed agent call, by the code that survived the A2A hops. A capability this
 * version does not have is a 400, as OpenAI answers a request for something a model does not
 * support: a 501 would be retried by LangChain's AsyncCaller, which retries every status but a
 * fixed list of 4xx and ignores `x-should-retry`.
 */
const AGENT_ERROR_STATUS: Record<AgentErrorCode, number> = {
  agent_unavailable: 503,
  timeout: 504,
  connection_reset: 502,
  upstream_error: 502,
  storage_unavailable: 503,
  not_implemented: 400,
  invalid_input: 400,
  cancelled: 500,
  internal_error: 500,
};

/** Nest's router answers unknown routes with this message; OpenAI words it "Invalid URL (POST /x)". */
const NEST_ROUTE_NOT_FOUND = /^Cannot ([A-Z]+) (\S+)$/;

/**
 * Turns anything thrown while serving a request into the OpenAI error envelope and status.
 * Unexpected errors keep their details out of the response (they are logged by the caller).
 */
export function toOpenAiError(exception: unknown): OpenAiErrorResponse {
  if (exception instanceof OpenAiApiException) {
    return { status: exception.getStatus(), body: exception.body };
  }
  if (exception instanceof AgentError) {
    const status = AGENT_ERROR_STATUS[exception.code] ?? 500;
    return {
      status,
      body: { error: { message: exception.message, type: errorTypeForStatus(status), param: null, code: exception.code } },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const routeNotFound = status === 404 ? NEST_ROUTE_NOT_FOUND.exec(exception.message) : null;
    if (routeNotFound) {
      return {
        status,
        body: {
          error: {
            message: `Invalid URL (${routeNotFound[1]} ${routeNotFound[2]})`,
            type: 'invalid_request_error',
            param: null,
            code: 'unknown_url',
          },
        },
      };
    }
    return {
      status,
      body: { error: { message: exception.message, type: errorTypeForStatus(status), param: null, code: null } },
    };
  }
  if (isStorageError(exception)) {
    // A database failure that no caller wrapped is still a storage failure: 503, so clients retry,
    // and never mistaken for an agent being unreachable.
    return {
      status: 503,
      body: {
        error: {
          message: 'Storage is unavailable right now (the database did not answer). Please retry shortly.',
          type: 'server_error',
          param: null,
          code: 'storage_unavailable',
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
        param: null,
        code: 'internal_error',
      },
    },
  };
}
