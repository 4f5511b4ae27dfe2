import type { Connection, MessageBase } from 'home-assistant-js-websocket';
import { HomeAssistantError } from './home-assistant.client';
import { inHomeAssistantSpan, type HomeAssistantCallObserver } from './home-assistant-connection-options';
import type { HomeAssistantWebSocketConnector } from './home-assistant-websocket-connector';

/**
 * One lazily opened, reused WebSocket connection to HA for one-shot commands. Every connect and
 * command is bounded by the timeout. When the connection drops it is discarded (instead of the
 * library's endless background reconnect) and the next command reconnects, so failures surface to
 * the caller as classified errors. (Subscriptions, which must survive drops, use connections of
 * their own: see HomeAssistantEntitySubscriptions.)
 */
export class HomeAssistantWebSocket {
  private connection?: Promise<Connection>;
  private current?: Connection;
  private closed = false;

  constructor(
    private readonly connector: HomeAssistantWebSocketConnector,
    private readonly onCall?: HomeAssistantCallObserver,
  ) {}

  /** Sends a command and resolves with its `result`. */
  command<T>(message: MessageBase, call: string): Promise<T> {
    return inHomeAssistantSpan(String(message.type), () => this.commandOnce<T>(message, call));
  }

  private async commandOnce<T>(message: MessageBase, call: string): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      const connection = await this.connect(call);
      try {
        return await this.connector.withTimeout(connection.sendMessagePromise<T>(message), call);
      } catch (error) {
        const classified = this.connector.classify(error, call);
        // A connection that left a command unanswered is not trusted again: the next call reconnects.
        if (classified.kind === 'timeout') this.discard(connection);
        throw classified;
      }
    } catch (error) {
      outcome = error instanceof HomeAssistantError ? error.kind : 'error';
      throw error;
    } finally {
      this.onCall?.(String(message.type), (performance.now() - started) / 1000, outcome);
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
    if (this.closed) return Promise.reject(closedError(this.connector.baseUrl));
    this.connection ??= this.open(call).catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(call: string): Promise<Connection> {
    const connection = await this.connector.open(call);
    this.current = connection;
    connection.addEventListener('disconnected', () => this.discard(connection));
    if (this.closed) {
      connection.close();
      throw closedError(this.connector.baseUrl);
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
}

export function closedError(baseUrl: string): HomeAssistantError {
  return new HomeAssistantError('unreachable', `The client for ${baseUrl} is closed`);
}
