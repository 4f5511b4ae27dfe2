import { Logger } from '@nestjs/common';
import { subscribeEntities, type Connection } from 'home-assistant-js-websocket';
import type { HaEntitiesSnapshot, HaEntitiesSubscription } from './home-assistant.types';
import { closedError } from './home-assistant-websocket';
import type { HomeAssistantWebSocketConnector } from './home-assistant-websocket-connector';

const CALL = 'subscribe_entities';

/**
 * Live `subscribe_entities` subscriptions, each on a connection of its own. Unlike the one-shot
 * command connection, these keep the library's auto-reconnect: after a drop it reconnects with
 * back-off and resubscribes, and HA's first message after that carries every state again.
 */
export class HomeAssistantEntitySubscriptions {
  private readonly logger = new Logger('HomeAssistantEntitySubscriptions');
  private readonly active = new Set<() => void>();
  private closed = false;

  constructor(private readonly connector: HomeAssistantWebSocketConnector) {}

  /**
   * Resolves once HA has sent the first full set of states (which `onChange` has then received);
   * fails with a classified error when HA is down, refuses the token or does not answer in time.
   */
  async subscribe(onChange: (states: HaEntitiesSnapshot) => void): Promise<HaEntitiesSubscription> {
    if (this.closed) throw closedError(this.connector.baseUrl);
    const connection = await this.connector.open(CALL);

    let delivered = false;
    let firstSnapshot!: () => void;
    const received = new Promise<void>((resolve) => (firstSnapshot = resolve));
    // Settles (with HA's refusal, or because the client closed) only before the first snapshot.
    let fail!: (error: unknown) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => undefined);

    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      this.active.delete(stop);
      if (!delivered) fail(closedError(this.connector.baseUrl));
      // Closing the connection ends the subscription and the reconnect loop. The collection's own
      // unsubscribe is not used: it only schedules a delayed teardown on a connection we close anyway.
      connection.close();
    };
    this.active.add(stop);
    if (this.closed) stop();

    this.watchReconnects(connection, stop);
    this.observeRefusals(connection, (error) => {
      if (!delivered) return fail(error);
      this.logger.error(`${this.connector.classify(error, `${CALL} (resubscribe)`).message}; the entity subscription stopped`);
      stop();
    });
    // The library rebuilds full states from HA's compressed diffs, so their shape needs no re-check.
    subscribeEntities(connection, (states) => {
      if (stopped) return;
      delivered = true;
      firstSnapshot();
      try {
        onChange(states as HaEntitiesSnapshot);
      } catch (error) {
        // A failing listener must not break the socket's message handling.
        this.logger.error(`An entity-state listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    try {
      await this.connector.withTimeout(Promise.race([received, failed]), `${CALL} (first states)`);
    } catch (error) {
      stop();
      throw this.connector.classify(error, CALL);
    }
    return { unsubscribe: async () => stop() };
  }

  /** Ends every subscription (the client is closing). */
  close(): void {
    this.closed = true;
    for (const stop of [...this.active]) stop();
  }

  /**
   * The library's entity collection does not handle HA refusing `subscribe_entities` (at first or
   * when resubscribing after a reconnect): the rejection would go unhandled and end the process.
   * So on this connection a refused subscription is reported to `onRefused` and, for the library,
   * settles as one with nothing to unsubscribe.
   */
  private observeRefusals(connection: Connection, onRefused: (error: unknown) => void): void {
    const subscribeMessage = connection.subscribeMessage.bind(connection);
    connection.subscribeMessage = ((...args: Parameters<Connection['subscribeMessage']>) =>
      subscribeMessage(...args).catch((error: unknown) => {
        onRefused(error);
        return async () => undefined;
      })) as Connection['subscribeMessage'];
  }

  private watchReconnects(connection: Connection, stop: () => void): void {
    const url = this.connector.baseUrl;
    connection.addEventListener('disconnected', () => {
      this.logger.warn(`Lost the entity subscription to Home Assistant at ${url}; reconnecting`);
    });
    connection.addEventListener('ready', () => {
      this.logger.log(`Reconnected the entity subscription to Home Assistant at ${url}`);
    });
    // The library stops retrying when the token is refused on reconnect.
    connection.addEventListener('reconnect-error', () => {
      this.logger.error(
        `Home Assistant at ${url} rejected the access token on reconnect; the entity subscription stopped (check HA_TOKEN)`,
      );
      stop();
    });
  }
}
