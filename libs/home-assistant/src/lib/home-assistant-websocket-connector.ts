import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  type Connection,
} from 'home-assistant-js-websocket';
import { HomeAssistantError } from './home-assistant.client';
import { type HomeAssistantErrors } from './home-assistant-errors';
import { ensureGlobalWebSocket } from './node-websocket-global';

export interface HomeAssistantWebSocketOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  errors: HomeAssistantErrors;
  /**
   * Explains a failed WebSocket connect: the library only reports "cannot connect", so the client
   * retries the same host over REST (within the remaining time) to learn whether it is down, slow,
   * or refusing the token.
   */
  diagnoseConnectFailure: (remainingMs: number) => Promise<HomeAssistantError>;
}

/**
 * Opens authenticated home-assistant-js-websocket connections within the timeout and turns the
 * library's failures (bare error codes, HA's `{code, message}` results) into HomeAssistantErrors.
 * Shared by the command connection and the entity subscriptions.
 */
export class HomeAssistantWebSocketConnector {
  constructor(readonly options: HomeAssistantWebSocketOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get errors(): HomeAssistantErrors {
    return this.options.errors;
  }

  /** Connects and authenticates, or fails with a classified error within the timeout. */
  async open(call: string): Promise<Connection> {
    ensureGlobalWebSocket();
    const started = Date.now();
    const attempt = createConnection({
      auth: createLongLivedTokenAuth(this.options.baseUrl, this.options.token),
      setupRetry: 0,
      connectTimeout: this.options.timeoutMs,
    });
    try {
      return await this.withTimeout(attempt, `${call} (WebSocket connect)`);
    } catch (error) {
      // A connect that completes after we gave up must not linger.
      attempt.then((late) => late.close(), () => undefined);
      if (error === ERR_INVALID_AUTH) throw this.options.errors.auth(call, 'WebSocket auth_invalid');
      if (error === ERR_CANNOT_CONNECT) {
        const remaining = this.options.timeoutMs - (Date.now() - started);
        if (remaining <= 0) throw this.options.errors.timeout(`${call} (WebSocket connect)`);
        throw await this.options.diagnoseConnectFailure(remaining);
      }
      throw this.classify(error, call);
    }
  }

  /** Rejects with a timeout error naming `call` when `promise` takes longer than the timeout. */
  withTimeout<T>(promise: Promise<T>, call: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.options.errors.timeout(call)), this.options.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  classify(error: unknown, call: string): HomeAssistantError {
    if (error instanceof HomeAssistantError) return error;
    if (error === ERR_CONNECTION_LOST || isErrorResult(error, ERR_CONNECTION_LOST)) {
      return this.options.errors.unreachable(`the WebSocket connection was lost during ${call}`);
    }
    if (isHaCommandError(error)) return this.options.errors.command(call, String(error.code), error.message);
    return this.options.errors.protocol(call, typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error));
  }
}

/** HA's `{code, message}` error of a failed command. */
function isHaCommandError(error: unknown): error is { code: string | number; message: string } {
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** The library rejects in-flight commands with an error *result* (`{type:"result", error:{code:3}}`) when the socket closes. */
function isErrorResult(error: unknown, code: number): boolean {
  if (typeof error !== 'object' || error === null || !('error' in error)) return false;
  const inner = (error as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null && (inner as { code?: unknown }).code === code;
}
