import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  type Connection,
  type MessageBase,
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
 * One lazily opened, reused WebSocket connection to HA through home-assistant-js-websocket.
 * Every connect and command is bounded by the timeout. When the connection drops it is discarded
 * (instead of the library's endless background reconnect) and the next command reconnects, so
 * failures surface to the caller as classified errors.
 */
export class HomeAssistantWebSocket {
  private connection?: Promise<Connection>;
  private current?: Connection;
  private closed = false;

  constructor(private readonly options: HomeAssistantWebSocketOptions) {}

  /** Sends a command and resolves with its `result`. */
  async command<T>(message: MessageBase, call: string): Promise<T> {
    const connection = await this.connect(call);
    try {
      return await this.withTimeout(connection.sendMessagePromise<T>(message), call);
    } catch (error) {
      const classified = this.classify(error, call);
      // A connection that left a command unanswered is not trusted again: the next call reconnects.
      if (classified.kind === 'timeout') this.discard(connection);
      throw classified;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connection;
    this.connection = undefined;
    if (!pending) return;
    try {
      (await pending).close();
    } catch {
      // The connect failed; nothing is open.
    }
  }

  private connect(call: string): Promise<Connection> {
    if (this.closed) return Promise.reject(new HomeAssistantError('unreachable', `The client for ${this.options.baseUrl} is closed`));
    this.connection ??= this.open(call).catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(call: string): Promise<Connection> {
    ensureGlobalWebSocket();
    const started = Date.now();
    const attempt = createConnection({
      auth: createLongLivedTokenAuth(this.options.baseUrl, this.options.token),
      setupRetry: 0,
      connectTimeout: this.options.timeoutMs,
    });
    let connection: Connection;
    try {
      connection = await this.withTimeout(attempt, `${call} (WebSocket connect)`);
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
    this.current = connection;
    connection.addEventListener('disconnected', () => this.discard(connection));
    if (this.closed) {
      connection.close();
      throw new HomeAssistantError('unreachable', `The client for ${this.options.baseUrl} is closed`);
    }
    return connection;
  }

  private discard(connection: Connection): void {
    connection.close();
    if (this.current === connection) {
      this.current = undefined;
      this.connection = undefined;
    }
  }

  private withTimeout<T>(promise: Promise<T>, call: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.options.errors.timeout(call)), this.options.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private classify(error: unknown, call: string): HomeAssistantError {
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
