import { CATALOG_REQUEST_KEY, type AgentCallResult, type AgentClient, type AgentRequest } from '@aether/core';
import { HomeTimeZoneCache } from './home-time-zone';

const context = { conversationId: 'c', userId: 'u' };
const signal = new AbortController().signal;

/** A Librarian whose catalog_summary answers come from `answers`, in order (a pending promise holds one back). */
function librarian(...answers: Array<() => Promise<string | undefined>>) {
  const asked: AgentRequest[] = [];
  const client: AgentClient = {
    agent: 'librarian',
    stream: () => {
      throw new Error('not used');
    },
    send: async (request): Promise<AgentCallResult> => {
      asked.push(request);
      const time_zone = await answers[Math.min(asked.length - 1, answers.length - 1)]();
      const summary = { entity_count: 0, domains: {}, areas: [], floors: [], device_count: 0, automation_count: 0, script_count: 0, scene_count: 0, last_discovery_at: null, ...(time_zone ? { time_zone } : {}) };
      return { text: '', data: { [CATALOG_REQUEST_KEY]: { op: 'catalog_summary', summary } }, events: [], taskId: 't' };
    },
  } as AgentClient;
  return { client, asked };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('HomeTimeZoneCache', () => {
  it('waits for the first answer, then serves the known zone and refreshes it in the background after its TTL', async () => {
    const refresh = deferred<string>();
    const { client, asked } = librarian(
      async () => 'Europe/Amsterdam',
      () => refresh.promise,
    );
    let now = 0;
    const cache = new HomeTimeZoneCache(client, { ttlMs: 1_000, now: () => now });
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    now = 999;
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    expect(asked).toHaveLength(1);

    now = 1_000;
    // Stale: answered at once with the known zone while the refresh is still pending.
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    expect(asked).toHaveLength(2);
    refresh.resolve('America/New_York');
    await refresh.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get(context, signal)).toBe('America/New_York');
    expect(asked).toHaveLength(2);
  });

  it('waits at most firstWaitMs for a silent Librarian, and does not wait again', async () => {
    const never = new Promise<string>(() => undefined);
    const { client, asked } = librarian(() => never);
    const cache = new HomeTimeZoneCache(client, { firstWaitMs: 50 });
    const started = performance.now();
    expect(await cache.get(context, signal)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
    // Still in flight: later messages neither wait nor ask again.
    expect(await cache.get(context, signal)).toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it('tries again after retryMs when the Librarian failed, keeping the last known zone meanwhile', async () => {
    let now = 0;
    const { client, asked } = librarian(
      async () => 'Europe/Amsterdam',
      () => Promise.reject(new Error('down')),
      async () => 'Asia/Tokyo',
    );
    const cache = new HomeTimeZoneCache(client, { ttlMs: 1_000, retryMs: 100, now: () => now });
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    now = 1_000;
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    await new Promise((resolve) => setImmediate(resolve));
    now = 1_050;
    expect(await cache.get(context, signal)).toBe('Europe/Amsterdam');
    expect(asked).toHaveLength(2);
    now = 1_100;
    await cache.get(context, signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get(context, signal)).toBe('Asia/Tokyo');
    expect(asked).toHaveLength(3);
  });
});
