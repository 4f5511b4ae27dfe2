import { HomeAssistantError } from './home-assistant.client';

/** Builds the `HomeAssistantError`s of one HA instance, with messages that say what to check. */
export class HomeAssistantErrors {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  unreachable(cause: string): HomeAssistantError {
    return new HomeAssistantError(
      'unreachable',
      `Home Assistant at ${this.baseUrl} is unreachable (${cause}); check HA_URL and that HA is running`,
    );
  }

  auth(call: string, detail: string, status?: number, adminOnly = false): HomeAssistantError {
    // A 401 from an admin-only endpoint is what HA answers a valid token whose user is no administrator.
    if (adminOnly) {
      return new HomeAssistantError(
        'auth',
        `Home Assistant at ${this.baseUrl} refused ${call} (${detail}): it needs an administrator, and the HA token's user is not one (or the token is invalid; check HA_TOKEN)`,
        status,
      );
    }
    return new HomeAssistantError(
      'auth',
      `Home Assistant at ${this.baseUrl} rejected the access token for ${call} (${detail}); check HA_TOKEN (a long-lived access token from your HA profile)`,
      status,
    );
  }

  timeout(call: string): HomeAssistantError {
    return new HomeAssistantError(
      'timeout',
      `Home Assistant at ${this.baseUrl} did not answer ${call} within ${this.timeoutMs} ms (HA_TIMEOUT_MS)`,
    );
  }

  http(call: string, status: number, message: string): HomeAssistantError {
    const kind = status === 404 ? 'not_found' : 'http';
    return new HomeAssistantError(kind, `Home Assistant at ${this.baseUrl} answered ${call} with HTTP ${status}: ${message}`, status);
  }

  protocol(call: string, detail: string): HomeAssistantError {
    return new HomeAssistantError('protocol', `Home Assistant at ${this.baseUrl} gave an unexpected answer to ${call}: ${detail}`);
  }

  /** A WebSocket command HA answered with `success: false`. */
  command(call: string, code: string, message: string): HomeAssistantError {
    // HA answers `unauthorized` on a connection that authenticated: the user lacks admin rights.
    if (code === 'unauthorized') return this.auth(call, `${code}: ${message}`, undefined, true);
    // `config_not_found`: lovelace has no stored config for that dashboard.
    const kind = code === 'not_found' || code === 'config_not_found' ? 'not_found' : 'protocol';
    const hint = code === 'unknown_command' ? ' (this HA version, or its configuration, lacks the integration that provides it)' : '';
    return new HomeAssistantError(kind, `Home Assistant at ${this.baseUrl} refused ${call}: ${code}: ${message}${hint}`);
  }

  /** Maps an exception from `fetch` (network failure, abort on timeout) to a HomeAssistantError. */
  fromFetchFailure(call: string, error: unknown): HomeAssistantError {
    if (error instanceof HomeAssistantError) return error;
    if (isTimeout(error)) return this.timeout(call);
    return this.unreachable(describeCause(error));
  }
}

// Errors from fetch come from undici's realm, which is not always the caller's (test runners run
// code in VM contexts), so they are recognised by shape rather than with `instanceof Error`.
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

/** `AbortSignal.timeout` rejects with a DOMException named TimeoutError. */
export function isTimeout(error: unknown): boolean {
  return asErrorLike(error)?.name === 'TimeoutError';
}

/** undici wraps the socket error (ECONNREFUSED, ENOTFOUND…) as `cause` of a bare "fetch failed": report the innermost. */
function describeCause(error: unknown): string {
  let current = asErrorLike(error);
  let message = typeof current?.message === 'string' && current.message ? current.message : String(error);
  for (let depth = 0; current?.cause !== undefined && depth < 5; depth++) {
    current = asErrorLike(current.cause);
    if (typeof current?.message === 'string' && current.message) message = current.message;
  }
  return message;
}
