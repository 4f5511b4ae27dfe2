import { createServer } from 'node:http';
import { once } from 'node:events';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { FakeHomeAssistant } from '../testing/fake-home-assistant.server';
import { createHomeAssistantClient } from './create-home-assistant-client';
import { HomeAssistantError } from './home-assistant.client';
import type { HaEntitiesSnapshot } from './home-assistant.types';
import type { HttpHomeAssistantClient } from './http-home-assistant.client';

// `subscribeEntities` against a scripted loopback HA, including HA going away and coming back.

const TOKEN = 'good-token';
const T0 = Date.parse('2026-11-29T10:00:00Z') / 1000; // epoch seconds, as HA sends them

/** Records every snapshot and lets a test wait (with a deadline) for one that matches. */
class SnapshotRecorder {
  readonly snapshots: HaEntitiesSnapshot[] = [];
  private waiters: Array<{ match: (s: HaEntitiesSnapshot) => boolean; resolve: (s: HaEntitiesSnapshot) => void }> = [];

  readonly onChange = (snapshot: HaEntitiesSnapshot): void => {
    this.snapshots.push(snapshot);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(snapshot)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(snapshot);
      }
    }
  };

  next(match: (snapshot: HaEntitiesSnapshot) => boolean, withinMs = 8_000): Promise<HaEntitiesSnapshot> {
    const seen = this.snapshots.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching snapshot within ${withinMs} ms`)), withinMs);
      this.waiters.push({ match, resolve: (s) => (clearTimeout(timer), resolve(s)) });
    });
  }
}

async function failure(promise: Promise<unknown>): Promise<HomeAssistantError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomeAssistantError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Polls `condition` until it holds or the deadline passes. */
async function eventually(condition: () => boolean, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HttpHomeAssistantClient.subscribeEntities', () => {
  let ha: FakeHomeAssistant;
  let client: HttpHomeAssistantClient;

  beforeEach(async () => {
    ha = await FakeHomeAssistant.start(TOKEN);
    ha.entities = {
      'light.kitchen': { s: 'off', a: { friendly_name: 'Kitchen' }, lc: T0 },
      'sensor.mains_power': { s: '420', a: { unit_of_measurement: 'W' }, lc: T0 },
    };
    client = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 2_000 });
  });
  afterEach(async () => {
    await client.close();
    await ha.stop();
  });

  it('delivers the full states first, then every change', async () => {
    const recorder = new SnapshotRecorder();
    await client.subscribeEntities(recorder.onChange);

    // Resolved only after the first snapshot arrived.
    expect(recorder.snapshots).toHaveLength(1);
    expect(recorder.snapshots[0]['light.kitchen']).toMatchObject({
      entity_id: 'light.kitchen',
      state: 'off',
      attributes: { friendly_name: 'Kitchen' },
      last_changed: '2026-11-29T10:00:00.000Z',
    });
    expect(Object.keys(recorder.snapshots[0]).sort()).toEqual(['light.kitchen', 'sensor.mains_power']);

    ha.pushChange('light.kitchen', 'on', T0 + 60);
    const changed = await recorder.next((s) => s['light.kitchen']?.state === 'on');
    expect(changed['light.kitchen'].last_changed).toBe('2026-11-29T10:01:00.000Z');
    expect(changed['sensor.mains_power'].state).toBe('420');
  });

  it('uses a connection of its own, apart from the command connection', async () => {
    ha.ws.set('config/area_registry/list', () => ({ result: [] }));
    await client.getAreaRegistry();
    await client.subscribeEntities(() => undefined);
    expect(ha.wsConnections).toBe(2);
  });

  it('reconnects and resubscribes when HA comes back on the same port', async () => {
    const recorder = new SnapshotRecorder();
    await client.subscribeEntities(recorder.onChange);
    const port = new URL(ha.url).port;

    await ha.stop();
    // While HA is down its port resets connections: wait until the client has tried (and failed) to reconnect.
    let attempts = 0;
    const down = createTcpServer((socket) => {
      attempts++;
      socket.destroy();
    });
    down.listen(Number(port), '127.0.0.1');
    await once(down, 'listening');
    await eventually(() => attempts >= 1);
    down.close();
    await once(down, 'close');

    ha.entities = { ...ha.entities, 'light.kitchen': { s: 'on', a: { friendly_name: 'Kitchen' }, lc: T0 + 120 } };
    await ha.restart();
    expect(new URL(ha.url).port).toBe(port);

    const afterRestart = await recorder.next((s) => s['light.kitchen']?.state === 'on');
    expect(afterRestart['light.kitchen'].last_changed).toBe('2026-11-29T10:02:00.000Z');
    expect(ha.entitySubscribers).toBe(1);

    // Live again: changes flow over the new connection.
    ha.pushChange('sensor.mains_power', '1500', T0 + 180);
    await recorder.next((s) => s['sensor.mains_power']?.state === '1500');
  }, 15_000);

  it('stops delivering after unsubscribe and closes its connection', async () => {
    const recorder = new SnapshotRecorder();
    const subscription = await client.subscribeEntities(recorder.onChange);
    const other = new SnapshotRecorder();
    await client.subscribeEntities(other.onChange);
    expect(ha.entitySubscribers).toBe(2);

    await subscription.unsubscribe();
    await eventually(() => ha.entitySubscribers === 1);
    ha.pushChange('light.kitchen', 'on', T0 + 60);
    // The remaining subscriber sees the change; the unsubscribed one got nothing after its first snapshot.
    await other.next((s) => s['light.kitchen']?.state === 'on');
    expect(recorder.snapshots).toHaveLength(1);
  });

  it('ends every subscription on close(), and refuses new ones', async () => {
    await client.subscribeEntities(() => undefined);
    await client.close();
    await eventually(() => ha.entitySubscribers === 0);
    const error = await failure(client.subscribeEntities(() => undefined));
    expect(error.message).toContain('is closed');
  });

  it('fails a subscription still waiting for its first states when the client closes', async () => {
    ha.sendEntities = false;
    const pending = failure(client.subscribeEntities(() => undefined));
    await eventually(() => ha.entitySubscribers === 1);
    await client.close();
    const error = await pending;
    expect(error.message).toContain('is closed');
    await eventually(() => ha.openSockets === 0);
  });

  it('reports a refused token as an auth error', async () => {
    const stranger = createHomeAssistantClient({ url: ha.url, token: 'wrong', timeoutMs: 2_000 });
    try {
      const error = await failure(stranger.subscribeEntities(() => undefined));
      expect(error.kind).toBe('auth');
      expect(error.message).toContain('HA_TOKEN');
    } finally {
      await stranger.close();
    }
  });

  it('reports HA being down at subscribe time as unreachable', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    probe.close();
    await once(probe, 'close');

    const offline = createHomeAssistantClient({ url, token: TOKEN, timeoutMs: 2_000 });
    try {
      const error = await failure(offline.subscribeEntities(() => undefined));
      expect(error.kind).toBe('unreachable');
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      await offline.close();
    }
  });

  it("reports HA's refusal of the subscription with its code, without waiting for the timeout", async () => {
    ha.refuseEntities = { code: 'unknown_error', message: 'Subscriptions are broken' };
    const started = Date.now();
    const error = await failure(client.subscribeEntities(() => undefined));
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe(`Home Assistant at ${ha.url} refused subscribe_entities: unknown_error: Subscriptions are broken`);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops, without crashing, when HA refuses the resubscription after a reconnect', async () => {
    const recorder = new SnapshotRecorder();
    await client.subscribeEntities(recorder.onChange);
    const connectionsBefore = ha.wsConnections;
    ha.refuseEntities = { code: 'unknown_error', message: 'Subscriptions are broken' };
    await ha.stop();
    await ha.restart();
    // The client reconnected and asked again; HA's refusal ended the subscription's connection.
    await eventually(() => ha.wsConnections > connectionsBefore && ha.commands.filter((c) => c['type'] === 'subscribe_entities').length === 2);
    await eventually(() => ha.openSockets === 0);
    expect(recorder.snapshots).toHaveLength(1);
  }, 15_000);

  it('times out when HA accepts the subscription but never sends the states', async () => {
    ha.sendEntities = false;
    const impatient = createHomeAssistantClient({ url: ha.url, token: TOKEN, timeoutMs: 300 });
    try {
      const error = await failure(impatient.subscribeEntities(() => undefined));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('subscribe_entities (first states) within 300 ms');
      // The half-open subscription was closed, not left reconnecting.
      await eventually(() => ha.entitySubscribers === 0);
    } finally {
      await impatient.close();
    }
  });
});
